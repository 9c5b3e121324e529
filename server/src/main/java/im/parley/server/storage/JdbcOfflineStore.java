package im.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link OfflineStore} on the {@code offline_messages} table (migration V3). */
public final class JdbcOfflineStore implements OfflineStore {

    private final SqlTransactions tx;

    public JdbcOfflineStore(DataSource dataSource) {
        this.tx = new SqlTransactions(dataSource);
    }

    @Override
    public boolean append(EntityBareJid owner, String stanzaXml, Instant storedAt, int quota) {
        return tx.run("store offline message for " + owner, connection -> {
            // The lock makes count-then-insert one step: concurrent stores for one account (from
            // several streams, or nodes) each saw room for one more under READ COMMITTED.
            SqlTransactions.lockAccount(connection, owner);
            if (count(connection, owner) >= quota) {
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO offline_messages (domain, username, stored_at, stanza) VALUES (?, ?, ?, ?)")) {
                SqlTransactions.bindOwner(insert, owner);
                insert.setLong(3, storedAt.toEpochMilli());
                insert.setString(4, stanzaXml);
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public List<OfflineMessage> list(EntityBareJid owner) {
        return tx.run("list offline messages of " + owner, connection -> {
            List<OfflineMessage> messages = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, stanza, stored_at FROM offline_messages WHERE domain = ? AND username = ? ORDER BY id")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        messages.add(new OfflineMessage(rows.getLong(1), rows.getString(2),
                                Instant.ofEpochMilli(rows.getLong(3))));
                    }
                }
            }
            return messages;
        });
    }

    @Override
    public int delete(EntityBareJid owner, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return tx.run("delete offline messages of " + owner, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM offline_messages WHERE domain = ? AND username = ? AND id = ?")) {
                for (long id : ids) {
                    SqlTransactions.bindOwner(delete, owner);
                    delete.setLong(3, id);
                    delete.addBatch();
                }
                int deleted = 0;
                for (int n : delete.executeBatch()) {
                    deleted += Math.max(n, 0);
                }
                return deleted;
            }
        });
    }

    @Override
    public int count(EntityBareJid owner) {
        return tx.run("count offline messages of " + owner, connection -> count(connection, owner));
    }

    @Override
    public Set<EntityBareJid> owners() {
        return tx.run("list accounts with offline messages", connection -> {
            Set<EntityBareJid> owners = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT DISTINCT username, domain FROM offline_messages")) {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        owners.add(SqlTransactions.storedJid(rows.getString(1), rows.getString(2)));
                    }
                }
            }
            return owners;
        });
    }

    @Override
    public long total(DomainBareJid domain) {
        return tx.countRows("offline_messages", domain);
    }

    private static int count(Connection connection, EntityBareJid owner) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM offline_messages WHERE domain = ? AND username = ?")) {
            SqlTransactions.bindOwner(query, owner);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
