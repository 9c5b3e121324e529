package im.parley.server.storage;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** {@link BlockListStore} on the {@code blocked_jids} table (migration V5). */
public final class JdbcBlockListStore implements BlockListStore {

    private final SqlTransactions tx;

    public JdbcBlockListStore(DataSource dataSource) {
        this.tx = new SqlTransactions(dataSource);
    }

    @Override
    public Set<Jid> load(EntityBareJid owner) {
        return tx.run("load block list of " + owner, connection -> {
            Set<Jid> jids = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT blocked_jid FROM blocked_jids WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        jids.add(storedJid(rows.getString(1)));
                    }
                }
            }
            return jids;
        });
    }

    @Override
    public void add(EntityBareJid owner, Collection<? extends Jid> jids) {
        tx.runRetryingDuplicateKey("block JIDs for " + owner, connection -> {
            Set<String> present = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT blocked_jid FROM blocked_jids WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        present.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO blocked_jids (domain, username, blocked_jid) VALUES (?, ?, ?)")) {
                for (Jid jid : jids) {
                    if (present.add(jid.toString())) {
                        SqlTransactions.bindOwner(insert, owner);
                        insert.setString(3, jid.toString());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void remove(EntityBareJid owner, Collection<? extends Jid> jids) {
        tx.run("unblock JIDs for " + owner, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM blocked_jids WHERE domain = ? AND username = ? AND blocked_jid = ?")) {
                for (Jid jid : jids) {
                    SqlTransactions.bindOwner(delete, owner);
                    delete.setString(3, jid.toString());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void clear(EntityBareJid owner) {
        tx.run("clear block list of " + owner, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM blocked_jids WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(delete, owner);
                delete.executeUpdate();
            }
            return null;
        });
    }

    private static Jid storedJid(String jid) {
        try {
            return Jids.parse(jid);
        } catch (JidMalformedException e) {
            throw new StorageException("stored blocked JID is not valid: " + e.getMessage(), e);
        }
    }
}
