package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.storage.SqlTransactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The accounts' archiving preferences (XEP-0441 §3) on the module's tables
 * {@code mam_prefs} and {@code mam_prefs_jids} ({@code db/mam}; H2 and PostgreSQL), whichever
 * store holds the archive itself. Blocking: call on the blocking executor.
 */
final class JdbcArchivePrefsStore {

    private final SqlTransactions tx;

    JdbcArchivePrefsStore(DataSource database) {
        this.tx = new SqlTransactions(database);
    }

    /**
     * The stored preferences of every account of {@code domain} that ever set any: read once, at
     * start, so that no message waits for a lookup of them.
     */
    Map<EntityBareJid, ArchivePrefs> allPrefs(DomainBareJid domain) {
        return tx.run("read the archiving preferences of " + domain, connection -> {
            Map<String, ArchiveMode> modes = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT username, default_mode FROM mam_prefs WHERE domain = ?")) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        modes.put(rows.getString(1), ArchiveMode.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)));
                    }
                }
            }
            Map<String, Set<BareJid>> always = new HashMap<>();
            Map<String, Set<BareJid>> never = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT username, jid, always FROM mam_prefs_jids WHERE domain = ?")) {
                query.setString(1, domain.toString());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        (rows.getBoolean(3) ? always : never).computeIfAbsent(rows.getString(1), user -> new HashSet<>())
                                .add(bare(rows.getString(2)));
                    }
                }
            }
            Map<EntityBareJid, ArchivePrefs> prefs = new HashMap<>();
            modes.forEach((username, mode) -> prefs.put(SqlTransactions.storedJid(username, domain.toString()),
                    new ArchivePrefs(mode, always.getOrDefault(username, Set.of()), never.getOrDefault(username, Set.of()))));
            return prefs;
        });
    }

    /** Replaces the preferences of {@code owner}; false if the account does not exist. */
    boolean setPrefs(EntityBareJid owner, ArchivePrefs prefs) {
        return tx.runRetryingDuplicateKey("store the archiving preferences of " + owner, connection -> {
            for (String table : List.of("mam_prefs_jids", "mam_prefs")) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE domain = ? AND username = ?")) {
                    SqlTransactions.bindOwner(delete, owner);
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO mam_prefs (domain, username, default_mode)"
                            + " SELECT domain, username, ? FROM accounts WHERE domain = ? AND username = ?")) {
                insert.setString(1, prefs.defaultMode().name().toLowerCase(Locale.ROOT));
                insert.setString(2, owner.getDomain().toString());
                insert.setString(3, owner.getLocalpart().toString());
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO mam_prefs_jids (domain, username, jid, always) VALUES (?, ?, ?, ?)")) {
                for (BareJid jid : prefs.always()) {
                    addJid(insert, owner, jid, true);
                }
                for (BareJid jid : prefs.never()) {
                    if (!prefs.always().contains(jid)) {
                        addJid(insert, owner, jid, false);
                    }
                }
                insert.executeBatch();
            }
            return true;
        });
    }

    private static void addJid(PreparedStatement insert, EntityBareJid owner, BareJid jid, boolean always)
            throws SQLException {
        SqlTransactions.bindOwner(insert, owner);
        insert.setString(3, jid.toString());
        insert.setBoolean(4, always);
        insert.addBatch();
    }

    private static BareJid bare(String stored) {
        try {
            return Jids.parse(stored).asBareJid();
        } catch (JidMalformedException e) {
            throw new IllegalStateException("stored JID is not valid: " + stored, e);
        }
    }
}
