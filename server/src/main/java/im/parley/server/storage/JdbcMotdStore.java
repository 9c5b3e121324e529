package im.parley.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link MotdStore} on the {@code motd} and {@code motd_seen} tables (migration V21). */
public final class JdbcMotdStore implements MotdStore {
    private final SqlTransactions transactions;

    public JdbcMotdStore(DataSource dataSource) {
        this.transactions = new SqlTransactions(dataSource);
    }

    @Override
    public Optional<Motd> find(DomainBareJid domain) {
        return transactions.run("read the message of the day of " + domain, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT body, changed_at FROM motd WHERE domain = ?")) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(new Motd(rows.getString(1), rows.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void set(DomainBareJid domain, String body, long changedAt) {
        transactions.runRetryingDuplicateKey("set the message of the day of " + domain, connection -> {
            // Delete and insert rather than MERGE/ON CONFLICT: the same SQL on H2 and PostgreSQL.
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM motd WHERE domain = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO motd (domain, body, changed_at) VALUES (?, ?, ?)")) {
                delete.setString(1, domain.toString());
                delete.executeUpdate();
                insert.setString(1, domain.toString());
                insert.setString(2, body);
                insert.setLong(3, changedAt);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(DomainBareJid domain) {
        return transactions.run("delete the message of the day of " + domain, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM motd WHERE domain = ?")) {
                delete.setString(1, domain.toString());
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean markSent(EntityBareJid account, long changedAt) {
        return transactions.run("record the message of the day sent to " + account, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE motd_seen SET changed_at = ? WHERE domain = ? AND username = ? AND changed_at <> ?")) {
                update.setLong(1, changedAt);
                update.setString(2, account.getDomain().toString());
                update.setString(3, account.getLocalpart().toString());
                update.setLong(4, changedAt);
                if (update.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO motd_seen (domain, username, changed_at) VALUES (?, ?, ?)")) {
                SqlTransactions.bindOwner(insert, account);
                insert.setLong(3, changedAt);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (SqlTransactions.isIntegrityViolation(e)) {
                    // A row for this version already (sent), or no such account any more.
                    connection.rollback();
                    return false;
                }
                throw e;
            }
        });
    }
}
