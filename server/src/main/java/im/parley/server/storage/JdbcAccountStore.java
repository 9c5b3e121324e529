package im.parley.server.storage;

import im.parley.core.sasl.AccountCredential;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link AccountStore} on the {@code accounts} and {@code account_credentials} tables (migrations
 * V1, V21); a new user is marked for its welcome message in {@code welcome_pending} (V23).
 */
public final class JdbcAccountStore implements AccountStore {
    private final SqlTransactions transactions;
    private final List<Consumer<EntityBareJid>> beforeDelete = new CopyOnWriteArrayList<>();
    private final List<Consumer<EntityBareJid>> afterDelete = new CopyOnWriteArrayList<>();

    public JdbcAccountStore(DataSource dataSource) {
        this.transactions = new SqlTransactions(dataSource);
    }

    @Override
    public boolean create(EntityBareJid jid, List<ScramCredential> credentials, boolean newUser) {
        return transactions.run("create account " + jid, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO accounts (domain, username) VALUES (?, ?)")) {
                SqlTransactions.bindOwner(insert, jid);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (SqlTransactions.isIntegrityViolation(e)) {
                    // PostgreSQL aborts the transaction on the violation: end it before answering.
                    connection.rollback();
                    return false;
                }
                throw e;
            }
            insertCredentials(connection, jid, credentials);
            if (newUser) {
                JdbcWelcomeStore.markPending(connection, jid);
            }
            return true;
        });
    }

    @Override
    public boolean updateCredentials(EntityBareJid jid, List<ScramCredential> credentials) {
        return transactions.run("update credentials of " + jid, connection -> {
            // Locking the account row keeps a concurrent delete from orphaning the new rows.
            if (!SqlTransactions.lockAccount(connection, jid)) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM account_credentials WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(delete, jid);
                delete.executeUpdate();
            }
            insertCredentials(connection, jid, credentials);
            return true;
        });
    }

    @Override
    public void beforeDelete(Consumer<EntityBareJid> step) {
        beforeDelete.add(step);
    }

    @Override
    public void afterDelete(Consumer<EntityBareJid> step) {
        afterDelete.add(step);
    }

    @Override
    public boolean delete(EntityBareJid jid) {
        beforeDelete.forEach(step -> step.accept(jid));
        boolean deleted = transactions.run("delete account " + jid, connection -> {
            try (PreparedStatement credentials = connection.prepareStatement(
                    "DELETE FROM account_credentials WHERE domain = ? AND username = ?");
                 PreparedStatement account = connection.prepareStatement(
                    "DELETE FROM accounts WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(credentials, jid);
                credentials.executeUpdate();
                SqlTransactions.bindOwner(account, jid);
                return account.executeUpdate() > 0;
            }
        });
        if (deleted) {
            afterDelete.forEach(step -> step.accept(jid));
        }
        return deleted;
    }

    @Override
    public boolean exists(EntityBareJid jid) {
        return transactions.run("look up account " + jid, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM accounts WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, jid);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    @Override
    public List<EntityBareJid> list(DomainBareJid domain) {
        return list(domain, "SELECT username FROM accounts WHERE domain = ?");
    }

    @Override
    public boolean setDisabled(EntityBareJid jid, boolean disabled) {
        return transactions.run((disabled ? "disable " : "enable ") + jid, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE accounts SET disabled = ? WHERE domain = ? AND username = ?")) {
                update.setBoolean(1, disabled);
                update.setString(2, jid.getDomain().toString());
                update.setString(3, jid.getLocalpart().toString());
                return update.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<EntityBareJid> listDisabled(DomainBareJid domain) {
        return list(domain, "SELECT username FROM accounts WHERE domain = ? AND disabled");
    }

    private List<EntityBareJid> list(DomainBareJid domain, String sql) {
        return transactions.run("list accounts of " + domain, connection -> {
            List<EntityBareJid> jids = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        jids.add(SqlTransactions.storedJid(rows.getString(1), domain.toString()));
                    }
                }
            }
            // Sorted here rather than by ORDER BY: database collations differ (H2 vs PostgreSQL locales).
            jids.sort(Comparator.comparing(EntityBareJid::toString));
            return jids;
        });
    }

    @Override
    public Optional<AccountCredential> findForLogin(EntityBareJid jid, ScramHash hash) {
        return transactions.run("find credential of " + jid, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT c.salt, c.iterations, c.stored_key, c.server_key, a.disabled FROM account_credentials c"
                            + " JOIN accounts a ON a.domain = c.domain AND a.username = c.username"
                            + " WHERE c.domain = ? AND c.username = ? AND c.hash_name = ?")) {
                SqlTransactions.bindOwner(query, jid);
                query.setString(3, hash.name());
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    Base64.Decoder base64 = Base64.getDecoder();
                    return Optional.of(new AccountCredential(new ScramCredential(hash, base64.decode(rows.getString(1)),
                            rows.getInt(2), base64.decode(rows.getString(3)), base64.decode(rows.getString(4))),
                            rows.getBoolean(5)));
                }
            }
        });
    }

    private static void insertCredentials(Connection connection, EntityBareJid jid, List<ScramCredential> credentials)
            throws SQLException {
        Base64.Encoder base64 = Base64.getEncoder();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO account_credentials (domain, username, hash_name, salt, iterations, stored_key, server_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ScramCredential credential : credentials) {
                SqlTransactions.bindOwner(insert, jid);
                insert.setString(3, credential.hash().name());
                insert.setString(4, base64.encodeToString(credential.salt()));
                insert.setInt(5, credential.iterations());
                insert.setString(6, base64.encodeToString(credential.storedKey()));
                insert.setString(7, base64.encodeToString(credential.serverKey()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

}
