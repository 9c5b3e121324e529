package im.parley.server.storage;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** Runs JDBC work in one transaction and turns SQL failures into {@link StorageException}s. */
public final class SqlTransactions {

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** SQLSTATE of a unique (or primary key) violation: the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int DUPLICATE_KEY_ATTEMPTS = 5;

    private final DataSource dataSource;

    public SqlTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T run(String what, SqlWork<T> work) {
        try {
            return once(work);
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #run}, for a write that looks for a row by key and then inserts it if missing:
     * an upsert written portably as UPDATE, or DELETE, then INSERT (H2 and PostgreSQL share no
     * upsert: MERGE and ON CONFLICT differ), or an insert-if-absent. Under READ COMMITTED, the
     * isolation of both databases, two such writes of a new key can both find no row and both
     * insert: the second gets a unique violation (SQLSTATE 23505 on both) and, on PostgreSQL, an
     * aborted transaction. It runs again and then finds the row the other one committed: it
     * replaces it, or answers that it exists, as it would have had it run second. (A DELETE then
     * INSERT can lose the race again to a third writer; each loss means another write committed,
     * so a few attempts suffice.)
     */
    public <T> T runRetryingDuplicateKey(String what, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (SQLException e) {
                if (!isUniqueViolation(e) || attempt == DUPLICATE_KEY_ATTEMPTS) {
                    throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private <T> T once(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** A unique violation, also where a batch reports it as the cause or the next exception of its own. */
    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t instanceof SQLException sql && sql.getNextException() != null
                ? sql.getNextException() : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** SQLSTATE class 23, an integrity constraint violation: the same code on H2 and PostgreSQL. */
    /**
     * The rows of {@code table} (a constant of the caller's, never input) that belong to
     * {@code domain}: one {@code COUNT(*)}, for figures sampled now and then, never per request.
     */
    public long countRows(String table, DomainBareJid domain) {
        return run("count the rows of " + table + " for " + domain, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT COUNT(*) FROM " + table + " WHERE domain = ?")) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    public static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** The account a row names by its {@code username} and {@code domain} columns. */
    public static EntityBareJid storedJid(String username, String domain) {
        try {
            return Jids.parseEntityBare(username + "@" + domain);
        } catch (JidMalformedException e) {
            throw new StorageException("stored account is not a valid JID: " + e.getMessage(), e);
        }
    }

    /** Binds an account as parameters 1 (domain) and 2 (username), the key every user table starts with. */
    public static void bindOwner(PreparedStatement statement, EntityBareJid owner) throws SQLException {
        statement.setString(1, owner.getDomain().toString());
        statement.setString(2, owner.getLocalpart().toString());
    }

    /**
     * Locks {@code owner}'s account row until the transaction ends, so that writes to one
     * account that first read what is there (a count against a quota, a set of rows to replace)
     * run one after the other, on H2 and PostgreSQL alike; false if the account does not exist.
     */
    public static boolean lockAccount(Connection connection, EntityBareJid owner) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT username FROM accounts WHERE domain = ? AND username = ? FOR UPDATE")) {
            bindOwner(lock, owner);
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next();
            }
        }
    }
}
