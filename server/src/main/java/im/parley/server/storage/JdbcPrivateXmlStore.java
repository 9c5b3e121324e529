package im.parley.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/** {@link PrivateXmlStore} on the {@code private_xml} table (migration V4). */
public final class JdbcPrivateXmlStore implements PrivateXmlStore {

    private final SqlTransactions tx;

    public JdbcPrivateXmlStore(DataSource dataSource) {
        this.tx = new SqlTransactions(dataSource);
    }

    @Override
    public Optional<String> load(EntityBareJid owner, String namespace, String elementName) {
        return tx.run("load private XML of " + owner, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT fragment FROM private_xml WHERE domain = ? AND username = ? AND namespace = ?"
                            + " AND element_name = ?")) {
                SqlTransactions.bindOwner(query, owner);
                query.setString(3, namespace);
                query.setString(4, elementName);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> list(EntityBareJid owner) {
        return tx.run("list private XML of " + owner, connection -> {
            List<String> fragments = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT fragment FROM private_xml WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        fragments.add(rows.getString(1));
                    }
                }
            }
            return fragments;
        });
    }

    @Override
    public void save(EntityBareJid owner, String namespace, String elementName, String fragmentXml) {
        tx.runRetryingDuplicateKey("save private XML of " + owner, connection -> {
            // UPDATE, then INSERT if there was no row: portable where MERGE and ON CONFLICT are not.
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE private_xml SET fragment = ? WHERE domain = ? AND username = ? AND namespace = ?"
                            + " AND element_name = ?")) {
                update.setString(1, fragmentXml);
                update.setString(2, owner.getDomain().toString());
                update.setString(3, owner.getLocalpart().toString());
                update.setString(4, namespace);
                update.setString(5, elementName);
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO private_xml (domain, username, namespace, element_name, fragment)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                SqlTransactions.bindOwner(insert, owner);
                insert.setString(3, namespace);
                insert.setString(4, elementName);
                insert.setString(5, fragmentXml);
                insert.executeUpdate();
            }
            return null;
        });
    }
}
