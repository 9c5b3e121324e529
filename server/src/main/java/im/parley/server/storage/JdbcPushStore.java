package im.parley.server.storage;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** {@link PushStore} on the {@code push_registrations} table (migration V20). */
public final class JdbcPushStore implements PushStore {

    private final SqlTransactions tx;

    public JdbcPushStore(DataSource dataSource) {
        this.tx = new SqlTransactions(dataSource);
    }

    @Override
    public List<PushRegistration> load(EntityBareJid owner) {
        return tx.run("load push registrations of " + owner, connection -> select(connection, owner));
    }

    @Override
    public List<PushRegistration> put(EntityBareJid owner, PushRegistration registration, int limit) {
        return tx.runRetryingDuplicateKey("enable push for " + owner, connection -> {
            delete(connection, owner, registration.appServer(), registration.node());
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO push_registrations "
                    + "(domain, username, app_server, node, publish_options, enabled_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                SqlTransactions.bindOwner(insert, owner);
                insert.setString(3, registration.appServer().toString());
                insert.setString(4, registration.node());
                insert.setString(5, registration.publishOptions() == null ? null : registration.publishOptions().asXML());
                insert.setLong(6, registration.enabledAt().toEpochMilli());
                insert.executeUpdate();
            }
            List<PushRegistration> all = select(connection, owner);
            List<PushRegistration> evicted = new ArrayList<>(all.subList(0, Math.max(0, all.size() - limit)));
            for (PushRegistration old : evicted) {
                delete(connection, owner, old.appServer(), old.node());
            }
            return evicted;
        });
    }

    @Override
    public int remove(EntityBareJid owner, Jid appServer, String node) {
        return tx.run("disable push for " + owner, connection -> delete(connection, owner, appServer, node));
    }

    private static int delete(Connection connection, EntityBareJid owner, Jid appServer, String node)
            throws SQLException {
        String sql = "DELETE FROM push_registrations WHERE domain = ? AND username = ? AND app_server = ?"
                + (node == null ? "" : " AND node = ?");
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            SqlTransactions.bindOwner(delete, owner);
            delete.setString(3, appServer.toString());
            if (node != null) {
                delete.setString(4, node);
            }
            return delete.executeUpdate();
        }
    }

    private static List<PushRegistration> select(Connection connection, EntityBareJid owner) throws SQLException {
        List<PushRegistration> registrations = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT app_server, node, publish_options, enabled_at "
                + "FROM push_registrations WHERE domain = ? AND username = ? ORDER BY enabled_at, app_server, node")) {
            SqlTransactions.bindOwner(query, owner);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    registrations.add(new PushRegistration(jid(rows.getString(1)), rows.getString(2),
                            form(rows.getString(3)), Instant.ofEpochMilli(rows.getLong(4))));
                }
            }
        }
        return registrations;
    }

    private static Jid jid(String text) {
        try {
            return Jids.parse(text);
        } catch (JidMalformedException e) {
            throw new StorageException("stored push app server JID is not valid: " + e.getMessage(), e);
        }
    }

    private static Element form(String xml) {
        if (xml == null) {
            return null;
        }
        try {
            return StoredXml.read(xml);
        } catch (DocumentException e) {
            throw new StorageException("stored publish-options form is not XML: " + e.getMessage(), e);
        }
    }
}
