package im.parley.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/** {@link LastActivityStore} on the {@code last_activity} (migration V6) and {@code last_login} (V22) tables. */
public final class JdbcLastActivityStore implements LastActivityStore {

    /** Binds a row's values from parameter {@code first} on; returns the index after the last. */
    @FunctionalInterface
    private interface RowValues {
        int bind(PreparedStatement statement, int first) throws SQLException;
    }

    private final SqlTransactions transactions;

    public JdbcLastActivityStore(DataSource dataSource) {
        this.transactions = new SqlTransactions(dataSource);
    }

    @Override
    public boolean recordLogout(EntityBareJid account, Instant at, String status) {
        String text = status == null || status.length() <= MAX_STATUS_LENGTH ? status : status.substring(0, MAX_STATUS_LENGTH);
        return replace("record the logout of " + account, account,
                "UPDATE last_activity SET logout_at = ?, status = ? WHERE domain = ? AND username = ?",
                "INSERT INTO last_activity (domain, username, logout_at, status) VALUES (?, ?, ?, ?)",
                (statement, first) -> {
                    statement.setLong(first, at.toEpochMilli());
                    statement.setString(first + 1, text);
                    return first + 2;
                });
    }

    @Override
    public Optional<LastActivity> find(EntityBareJid account) {
        return transactions.run("read the last activity of " + account, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT logout_at, status FROM last_activity WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, account);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new LastActivity(Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean recordLogin(EntityBareJid account, Instant at) {
        return replace("record the login of " + account, account,
                "UPDATE last_login SET login_at = ? WHERE domain = ? AND username = ?",
                "INSERT INTO last_login (domain, username, login_at) VALUES (?, ?, ?)",
                (statement, first) -> {
                    statement.setLong(first, at.toEpochMilli());
                    return first + 1;
                });
    }

    /**
     * One transaction for all: an update, else an insert that only an existing account gets (no
     * foreign-key failure for an account deleted meanwhile). Should another writer (a node of a
     * cluster) insert one of the rows first, the batch is written one login at a time instead.
     */
    @Override
    public void recordLogins(Map<EntityBareJid, Instant> logins) {
        if (logins.isEmpty()) {
            return;
        }
        try {
            transactions.run("record " + logins.size() + " logins", connection -> {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE last_login SET login_at = ? WHERE domain = ? AND username = ?");
                     PreparedStatement insert = connection.prepareStatement("INSERT INTO last_login (domain, username, "
                             + "login_at) SELECT domain, username, ? FROM accounts WHERE domain = ? AND username = ?")) {
                    for (Map.Entry<EntityBareJid, Instant> login : logins.entrySet()) {
                        update.setLong(1, login.getValue().toEpochMilli());
                        update.setString(2, login.getKey().getDomain().toString());
                        update.setString(3, login.getKey().getLocalpart().toString());
                        if (update.executeUpdate() == 0) {
                            insert.setLong(1, login.getValue().toEpochMilli());
                            insert.setString(2, login.getKey().getDomain().toString());
                            insert.setString(3, login.getKey().getLocalpart().toString());
                            insert.executeUpdate();
                        }
                    }
                }
                return null;
            });
        } catch (StorageException e) {
            logins.forEach(this::recordLogin);
        }
    }

    @Override
    public Optional<Instant> lastLogin(EntityBareJid account) {
        return transactions.run("read the last login of " + account, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT login_at FROM last_login WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, account);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Replaces the account's row: UPDATE ({@code values}, then the account), then INSERT (the
     * account, then {@code values}) if there was none; portable across H2 and PostgreSQL, unlike
     * MERGE / ON CONFLICT. False if the account does not exist.
     */
    private boolean replace(String what, EntityBareJid account, String update, String insert, RowValues values) {
        return transactions.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                int next = values.bind(statement, 1);
                statement.setString(next, account.getDomain().toString());
                statement.setString(next + 1, account.getLocalpart().toString());
                if (statement.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                SqlTransactions.bindOwner(statement, account);
                values.bind(statement, 3);
                statement.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (SqlTransactions.isIntegrityViolation(e)) {
                    // No such account (foreign key), or a concurrent write inserted first: both leave
                    // nothing to add. PostgreSQL aborts the transaction on the violation: end it.
                    connection.rollback();
                    return false;
                }
                throw e;
            }
        });
    }
}
