package im.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link WelcomeStore} on the {@code welcome} and {@code welcome_pending} tables (migration V23). */
public final class JdbcWelcomeStore implements WelcomeStore {

    private final SqlTransactions transactions;

    public JdbcWelcomeStore(DataSource dataSource) {
        this.transactions = new SqlTransactions(dataSource);
    }

    /**
     * Within the transaction that created the account {@code jid}: marks it to be sent its
     * domain's welcome message at its first login, if the domain has one.
     */
    static void markPending(Connection connection, EntityBareJid jid) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO welcome_pending (domain, username) SELECT a.domain, a.username FROM accounts a "
                        + "JOIN welcome w ON w.domain = a.domain WHERE a.domain = ? AND a.username = ?")) {
            SqlTransactions.bindOwner(insert, jid);
            insert.executeUpdate();
        }
    }

    @Override
    public Optional<String> find(DomainBareJid domain) {
        return transactions.run("read the welcome message of " + domain, connection -> body(connection, domain));
    }

    @Override
    public void set(DomainBareJid domain, String body) {
        transactions.runRetryingDuplicateKey("set the welcome message of " + domain, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE welcome SET body = ? WHERE domain = ?")) {
                update.setString(1, body);
                update.setString(2, domain.toString());
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO welcome (domain, body) VALUES (?, ?)")) {
                insert.setString(1, domain.toString());
                insert.setString(2, body);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(DomainBareJid domain) {
        return transactions.run("delete the welcome message of " + domain, connection -> {
            try (PreparedStatement pending = connection.prepareStatement("DELETE FROM welcome_pending WHERE domain = ?");
                 PreparedStatement welcome = connection.prepareStatement("DELETE FROM welcome WHERE domain = ?")) {
                pending.setString(1, domain.toString());
                pending.executeUpdate();
                welcome.setString(1, domain.toString());
                return welcome.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<String> takePending(EntityBareJid account) {
        return transactions.run("take the welcome message due to " + account, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM welcome_pending WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(delete, account);
                // Deleting the row is what makes it once: of two logins at the same time, one deletes it.
                if (delete.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return body(connection, account.asDomainBareJid());
        });
    }

    private static Optional<String> body(Connection connection, DomainBareJid domain) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT body FROM welcome WHERE domain = ?")) {
            query.setString(1, domain.toString());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }
}
