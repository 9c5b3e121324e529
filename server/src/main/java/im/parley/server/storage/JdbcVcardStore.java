package im.parley.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/** {@link VcardStore} on the {@code vcards} table (migration V4). */
public final class JdbcVcardStore implements VcardStore {

    private final SqlTransactions tx;

    public JdbcVcardStore(DataSource dataSource) {
        this.tx = new SqlTransactions(dataSource);
    }

    @Override
    public Optional<String> load(EntityBareJid owner) {
        return tx.run("load vCard of " + owner, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT vcard FROM vcards WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(EntityBareJid owner, String vcardXml) {
        tx.runRetryingDuplicateKey("save vCard of " + owner, connection -> {
            // UPDATE, then INSERT if there was no row: portable where MERGE and ON CONFLICT are not.
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE vcards SET vcard = ? WHERE domain = ? AND username = ?")) {
                update.setString(1, vcardXml);
                update.setString(2, owner.getDomain().toString());
                update.setString(3, owner.getLocalpart().toString());
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO vcards (domain, username, vcard) VALUES (?, ?, ?)")) {
                SqlTransactions.bindOwner(insert, owner);
                insert.setString(3, vcardXml);
                insert.executeUpdate();
            }
            return null;
        });
    }
}
