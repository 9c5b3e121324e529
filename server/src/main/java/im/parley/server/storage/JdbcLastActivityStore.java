package im.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/** {@link LastActivityStore} on the {@code last_activity} table (migration V6). */
public final class JdbcLastActivityStore implements LastActivityStore {

    private final DataSource dataSource;

    public JdbcLastActivityStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean recordLogout(EntityBareJid account, Instant at, String status) {
        String text = status == null || status.length() <= MAX_STATUS_LENGTH ? status : status.substring(0, MAX_STATUS_LENGTH);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // UPDATE, then INSERT: portable across H2 and PostgreSQL, unlike MERGE / ON CONFLICT.
                boolean stored = update(connection, account, at, text) || insert(connection, account, at, text);
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot record the logout of " + account + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<LastActivity> find(EntityBareJid account) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT logout_at, status FROM last_activity WHERE domain = ? AND username = ?")) {
            bindJid(query, account);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LastActivity(Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2)));
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the last activity of " + account + ": " + e.getMessage(), e);
        }
    }

    private static boolean update(Connection connection, EntityBareJid account, Instant at, String status)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE last_activity SET logout_at = ?, status = ? WHERE domain = ? AND username = ?")) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, status);
            update.setString(3, account.getDomain().toString());
            update.setString(4, account.getLocalpart().toString());
            return update.executeUpdate() > 0;
        }
    }

    private static boolean insert(Connection connection, EntityBareJid account, Instant at, String status)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO last_activity (domain, username, logout_at, status) VALUES (?, ?, ?, ?)")) {
            bindJid(insert, account);
            insert.setLong(3, at.toEpochMilli());
            insert.setString(4, status);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlTransactions.isIntegrityViolation(e)) {
                // No such account (foreign key), or a concurrent logout inserted first: both leave
                // nothing to add. PostgreSQL aborts the transaction on the violation: end it.
                connection.rollback();
                return false;
            }
            throw e;
        }
    }

    private static void bindJid(PreparedStatement statement, EntityBareJid jid) throws SQLException {
        statement.setString(1, jid.getDomain().toString());
        statement.setString(2, jid.getLocalpart().toString());
    }
}
