package im.parley.server.storage;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link RosterStore} on the {@code roster_*} tables (migration V2). Every change to a roster
 * first locks the account's {@code roster_versions} row, so read-modify-write updates of one
 * roster never interleave.
 */
public final class JdbcRosterStore implements RosterStore {
    /** SQLSTATE class 23: integrity constraint violation (same code on H2 and PostgreSQL). */
    private static final String INTEGRITY_VIOLATION = "23";

    private final DataSource dataSource;
    private final SqlTransactions transactions;

    public JdbcRosterStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.transactions = new SqlTransactions(dataSource);
    }

    @Override
    public Roster roster(EntityBareJid owner) {
        return transactions.run("read the roster of " + owner, connection -> {
            long version = 0;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT roster_version FROM roster_versions WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        version = rows.getLong(1);
                    }
                }
            }
            Map<String, RosterItem> items = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT contact, item_name, subscription, pending_out, approved FROM roster_items"
                            + " WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.put(rows.getString(1), item(rows, Set.of()));
                    }
                }
            }
            Map<String, Set<String>> groups = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT contact, group_name FROM roster_groups WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        groups.computeIfAbsent(rows.getString(1), k -> new HashSet<>()).add(rows.getString(2));
                    }
                }
            }
            List<RosterItem> result = new ArrayList<>();
            items.forEach((contact, item) ->
                    result.add(item.withNameAndGroups(item.name(), groups.getOrDefault(contact, Set.of()))));
            // Sorted here rather than by ORDER BY: database collations differ (H2 vs PostgreSQL locales).
            result.sort(Comparator.comparing(i -> i.contact().toString()));
            return new Roster(version, result);
        });
    }

    @Override
    public ContactState contact(EntityBareJid owner, BareJid contact) {
        return transactions.run("read contact " + contact + " of " + owner, connection -> read(connection, owner, contact));
    }

    @Override
    public RosterUpdate update(EntityBareJid owner, BareJid contact, UnaryOperator<ContactState> change) {
        ensureVersionRow(owner);
        return transactions.run("update contact " + contact + " of " + owner, connection -> {
            long version = lockVersion(connection, owner);
            ContactState before = read(connection, owner, contact);
            ContactState after = change.apply(before);
            if (!before.item().equals(after.item())) {
                writeItem(connection, owner, contact, after.item());
                version++;
                try (PreparedStatement bump = connection.prepareStatement(
                        "UPDATE roster_versions SET roster_version = ? WHERE domain = ? AND username = ?")) {
                    bump.setLong(1, version);
                    bump.setString(2, owner.getDomain().toString());
                    bump.setString(3, owner.getLocalpart().toString());
                    bump.executeUpdate();
                }
            }
            if (!before.pendingRequest().equals(after.pendingRequest())) {
                writePendingRequest(connection, owner, contact, after.pendingRequest());
            }
            return new RosterUpdate(before, after, version);
        });
    }

    @Override
    public List<PendingSubscription> pendingSubscriptions(EntityBareJid owner) {
        return transactions.run("read pending subscriptions of " + owner, connection -> {
            List<PendingSubscription> pending = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT contact, stanza FROM roster_pending_in WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        pending.add(new PendingSubscription(storedJid(rows.getString(1)), rows.getString(2)));
                    }
                }
            }
            pending.sort(Comparator.comparing(p -> p.contact().toString()));
            return pending;
        });
    }

    private static ContactState read(Connection connection, EntityBareJid owner, BareJid contact) throws SQLException {
        Optional<RosterItem> item = Optional.empty();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT contact, item_name, subscription, pending_out, approved FROM roster_items"
                        + " WHERE domain = ? AND username = ? AND contact = ?")) {
            bindContact(query, owner, contact);
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    item = Optional.of(item(rows, groups(connection, owner, contact)));
                }
            }
        }
        Optional<String> pending = Optional.empty();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT stanza FROM roster_pending_in WHERE domain = ? AND username = ? AND contact = ?")) {
            bindContact(query, owner, contact);
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    pending = Optional.of(rows.getString(1));
                }
            }
        }
        return new ContactState(item, pending);
    }

    private static Set<String> groups(Connection connection, EntityBareJid owner, BareJid contact) throws SQLException {
        Set<String> groups = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT group_name FROM roster_groups WHERE domain = ? AND username = ? AND contact = ?")) {
            bindContact(query, owner, contact);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    groups.add(rows.getString(1));
                }
            }
        }
        return groups;
    }

    private static RosterItem item(ResultSet rows, Set<String> groups) throws SQLException {
        return new RosterItem(storedJid(rows.getString(1)), rows.getString(2), groups,
                Subscription.fromAttributeValue(rows.getString(3)), rows.getBoolean(4), rows.getBoolean(5));
    }

    private static void writeItem(Connection connection, EntityBareJid owner, BareJid contact, Optional<RosterItem> item)
            throws SQLException {
        // Deleting the row cascades to its groups; the new state is then written in full.
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM roster_items WHERE domain = ? AND username = ? AND contact = ?")) {
            bindContact(delete, owner, contact);
            delete.executeUpdate();
        }
        if (item.isEmpty()) {
            return;
        }
        RosterItem i = item.get();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO roster_items (domain, username, contact, item_name, subscription, pending_out, approved)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bindContact(insert, owner, contact);
            insert.setString(4, i.name());
            insert.setString(5, i.subscription().attributeValue());
            insert.setBoolean(6, i.pendingOut());
            insert.setBoolean(7, i.approved());
            insert.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO roster_groups (domain, username, contact, group_name) VALUES (?, ?, ?, ?)")) {
            for (String group : i.groups()) {
                bindContact(insert, owner, contact);
                insert.setString(4, group);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void writePendingRequest(Connection connection, EntityBareJid owner, BareJid contact,
                                            Optional<String> stanza) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM roster_pending_in WHERE domain = ? AND username = ? AND contact = ?")) {
            bindContact(delete, owner, contact);
            delete.executeUpdate();
        }
        if (stanza.isPresent()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO roster_pending_in (domain, username, contact, stanza) VALUES (?, ?, ?, ?)")) {
                bindContact(insert, owner, contact);
                insert.setString(4, stanza.get());
                insert.executeUpdate();
            }
        }
    }

    /**
     * Creates the account's version row if missing, in its own transaction: a concurrent
     * creator makes the insert fail, which leaves the row we wanted (PostgreSQL would abort a
     * shared transaction on that failure).
     */
    private void ensureVersionRow(EntityBareJid owner) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM roster_versions WHERE domain = ? AND username = ?")) {
                SqlTransactions.bindOwner(query, owner);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO roster_versions (domain, username, roster_version) VALUES (?, ?, 0)")) {
                SqlTransactions.bindOwner(insert, owner);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!isIntegrityViolation(e) || !versionRowExists(connection, owner)) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot create the roster of " + owner + ": " + e.getMessage(), e);
        }
    }

    private static boolean versionRowExists(Connection connection, EntityBareJid owner) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM roster_versions WHERE domain = ? AND username = ?")) {
            SqlTransactions.bindOwner(query, owner);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static long lockVersion(Connection connection, EntityBareJid owner) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT roster_version FROM roster_versions WHERE domain = ? AND username = ? FOR UPDATE")) {
            SqlTransactions.bindOwner(lock, owner);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("no roster version row for " + owner);
                }
                return rows.getLong(1);
            }
        }
    }

    private static void bindContact(PreparedStatement statement, EntityBareJid owner, BareJid contact)
            throws SQLException {
        SqlTransactions.bindOwner(statement, owner);
        statement.setString(3, contact.toString());
    }

    private static BareJid storedJid(String jid) {
        try {
            return Jids.parse(jid).asBareJid();
        } catch (JidMalformedException e) {
            throw new StorageException("stored roster contact is not a valid JID: " + e.getMessage(), e);
        }
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION);
    }

}
