package im.parley.server.modules.pep;

import static im.parley.server.storage.SqlTransactions.bindOwner;

import im.parley.server.storage.SqlTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;

/**
 * The nodes, items and affiliations of every account's PEP service on the module's own tables
 * ({@code db/pep}; H2 and PostgreSQL). Items come oldest first. Blocking: call on the blocking
 * executor.
 */
final class JdbcPepStore {

    static final String KEY = " WHERE domain = ? AND username = ? AND node = ?";
    private static final List<String> CONFIG_COLUMN_LIST = List.of("access_model", "roster_groups", "max_items",
            "persist_items", "send_last", "deliver_payloads", "notify_retract", "notify_delete", "title", "description",
            "payload_type", "notification_type", "deliver_notifications", "notify_config", "item_expire");
    private static final String CONFIG_COLUMNS = String.join(", ", CONFIG_COLUMN_LIST);
    private static final int CONFIG_COUNT = CONFIG_COLUMN_LIST.size();

    private final SqlTransactions tx;

    JdbcPepStore(DataSource database) {
        this.tx = new SqlTransactions(database);
    }

    /**
     * The owner's nodes and their configurations, by name in code-point order (sorted here, not by
     * ORDER BY: PostgreSQL's collation depends on the database's locale, H2's does not).
     */
    Map<String, NodeConfig> nodes(EntityBareJid owner) {
        return tx.run("list the PEP nodes of " + owner, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT node, " + CONFIG_COLUMNS
                    + " FROM pep_nodes WHERE domain = ? AND username = ?")) {
                bindOwner(select, owner);
                Map<String, NodeConfig> nodes = new TreeMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        nodes.put(rows.getString(1), config(rows, 2));
                    }
                }
                return nodes;
            }
        });
    }

    Optional<NodeConfig> node(EntityBareJid owner, String node) {
        return tx.run("read a PEP node of " + owner, connection -> {
            try (PreparedStatement select = prepare(connection, "SELECT " + CONFIG_COLUMNS + " FROM pep_nodes" + KEY, owner, node);
                 ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(config(rows, 1)) : Optional.empty();
            }
        });
    }

    /** Creates a node if the account exists, has no node of that name and fewer than {@code maxNodes}. */
    Creation create(EntityBareJid owner, String node, NodeConfig config, int maxNodes) {
        return tx.runRetryingDuplicateKey("create a PEP node of " + owner, connection -> {
            try (PreparedStatement exists = prepare(connection, "SELECT 1 FROM pep_nodes" + KEY, owner, node);
                 ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return Creation.EXISTS;
                }
            }
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM pep_nodes WHERE domain = ? AND username = ?")) {
                bindOwner(count, owner);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) >= maxNodes) {
                        return Creation.TOO_MANY;
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pep_nodes (domain, username, node, "
                    + CONFIG_COLUMNS + ") SELECT domain, username, ?, " + String.join(", ", Collections.nCopies(CONFIG_COUNT, "?"))
                    + " FROM accounts WHERE domain = ? AND username = ?")) {
                insert.setString(1, node);
                bindConfig(insert, 2, config);
                insert.setString(CONFIG_COUNT + 2, owner.getDomain().toString());
                insert.setString(CONFIG_COUNT + 3, owner.getLocalpart().toString());
                return insert.executeUpdate() > 0 ? Creation.CREATED : Creation.NO_ACCOUNT;
            }
        });
    }

    /** What {@link #create} did. */
    enum Creation { CREATED, EXISTS, TOO_MANY, NO_ACCOUNT }

    /** Replaces a node's configuration and drops the items it no longer keeps. */
    void configure(EntityBareJid owner, String node, NodeConfig config) {
        tx.run("configure a PEP node of " + owner, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE pep_nodes SET "
                    + String.join(" = ?, ", CONFIG_COLUMN_LIST) + " = ?" + KEY)) {
                bindConfig(update, 1, config);
                bindKey(update, CONFIG_COUNT + 1, owner, node);
                update.executeUpdate();
            }
            trim(connection, owner, node, config.keptItems());
            return null;
        });
    }

    /** Deletes a node with its items and affiliations; false if there was none. */
    boolean delete(EntityBareJid owner, String node) {
        return tx.run("delete a PEP node of " + owner, connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_nodes" + KEY, owner, node)) {
                return delete.executeUpdate() > 0;
            }
        });
    }

    /**
     * Stores an item as the node's newest, replacing an item of the same id (XEP-0060 §7.1.2),
     * and drops the oldest beyond {@code kept}.
     */
    void publish(EntityBareJid owner, String node, PepItem item, int kept) {
        tx.runRetryingDuplicateKey("publish to a PEP node of " + owner, connection -> {
            retract(connection, owner, node, item.id());
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pep_items"
                    + " (domain, username, node, item_id, published, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                bindKey(insert, 1, owner, node);
                insert.setString(4, item.id());
                insert.setLong(5, item.published().toEpochMilli());
                insert.setString(6, item.payloadXml());
                insert.executeUpdate();
            }
            trim(connection, owner, node, kept);
            return null;
        });
    }

    /** The newest {@code max} items (all with a negative max), oldest first. */
    List<PepItem> items(EntityBareJid owner, String node, int max) {
        return tx.run("read PEP items of " + owner, connection -> {
            String limit = max < 0 ? "" : " LIMIT " + max;
            try (PreparedStatement select = prepare(connection,
                    "SELECT item_id, published, payload FROM pep_items" + KEY + " ORDER BY seq DESC" + limit, owner, node)) {
                List<PepItem> items = read(select);
                Collections.reverse(items);
                return items;
            }
        });
    }

    /** Where each item of the node stands, oldest first (XEP-0059 pages, {@link Pubsub#page}). */
    List<Pubsub.ItemPosition> positions(EntityBareJid owner, String node) {
        return tx.run("read PEP item ids of " + owner, connection -> {
            try (PreparedStatement select = prepare(connection,
                    "SELECT seq, item_id FROM pep_items" + KEY + " ORDER BY seq", owner, node);
                 ResultSet rows = select.executeQuery()) {
                List<Pubsub.ItemPosition> positions = new ArrayList<>();
                while (rows.next()) {
                    positions.add(new Pubsub.ItemPosition(rows.getLong(1), rows.getString(2)));
                }
                return positions;
            }
        });
    }

    /** The items whose positions are from {@code first} to {@code last} ({@link #positions}), oldest first. */
    List<PepItem> items(EntityBareJid owner, String node, long first, long last) {
        return tx.run("read a page of PEP items of " + owner, connection -> {
            try (PreparedStatement select = prepare(connection,
                    "SELECT item_id, published, payload FROM pep_items" + KEY + " AND seq BETWEEN ? AND ? ORDER BY seq",
                    owner, node)) {
                select.setLong(4, first);
                select.setLong(5, last);
                return read(select);
            }
        });
    }

    /** The items with these ids that exist, oldest first. */
    List<PepItem> items(EntityBareJid owner, String node, Set<String> ids) {
        List<PepItem> all = items(owner, node, -1);
        all.removeIf(item -> !ids.contains(item.id()));
        return all;
    }

    /**
     * §16.4.4 {@code pubsub#item_expire}: deletes the node's items published before
     * {@code cutoff}; how many.
     */
    int expire(EntityBareJid owner, String node, Instant cutoff) {
        return tx.run("expire PEP items of " + owner, connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_items" + KEY + " AND published < ?",
                    owner, node)) {
                delete.setLong(4, cutoff.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /**
     * §16.4.4: deletes the items of {@code domain}'s accounts' nodes with a {@code pubsub#item_expire}
     * that are older than it at {@code now}, in one statement; how many.
     */
    int expireAll(String domain, Instant now) {
        return tx.run("expire the PEP items of " + domain, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pep_items WHERE domain = ? AND EXISTS"
                    + " (SELECT 1 FROM pep_nodes n WHERE n.domain = pep_items.domain AND n.username = pep_items.username"
                    + " AND n.node = pep_items.node AND n.item_expire > 0 AND pep_items.published < ? - n.item_expire * 1000)")) {
                delete.setString(1, domain);
                delete.setLong(2, now.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /** Deletes an item; false if there was none of that id. */
    boolean retract(EntityBareJid owner, String node, String id) {
        return tx.run("retract a PEP item of " + owner, connection -> retract(connection, owner, node, id));
    }

    /** Deletes every item of a node. */
    void purge(EntityBareJid owner, String node) {
        tx.run("purge a PEP node of " + owner, connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_items" + KEY, owner, node)) {
                return delete.executeUpdate();
            }
        });
    }

    /** The affiliations the owner gave others on a node (XEP-0060 §8.9), by JID in code-point order (as {@link #nodes}). */
    Map<String, Affiliation> affiliations(EntityBareJid owner, String node) {
        return tx.run("read PEP affiliations of " + owner, connection -> {
            try (PreparedStatement select = prepare(connection,
                    "SELECT jid, affiliation FROM pep_affiliations" + KEY, owner, node);
                 ResultSet rows = select.executeQuery()) {
                Map<String, Affiliation> affiliations = new TreeMap<>();
                while (rows.next()) {
                    Optional<Affiliation> affiliation = Affiliation.of(rows.getString(2));
                    if (affiliation.isPresent()) {
                        affiliations.put(rows.getString(1), affiliation.get());
                    }
                }
                return affiliations;
            }
        });
    }

    /** The affiliations the owner gave {@code jid} (a bare JID), by node in code-point order (XEP-0060 §5.7). */
    Map<String, Affiliation> affiliationsOf(EntityBareJid owner, String jid) {
        return tx.run("read PEP affiliations at " + owner, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT node, affiliation FROM pep_affiliations WHERE domain = ? AND username = ? AND jid = ?")) {
                bindOwner(select, owner);
                select.setString(3, jid);
                Map<String, Affiliation> affiliations = new TreeMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String node = rows.getString(1);
                        Affiliation.of(rows.getString(2)).ifPresent(affiliation -> affiliations.put(node, affiliation));
                    }
                }
                return affiliations;
            }
        });
    }

    /** Sets the affiliations given ({@link Affiliation#NONE} removes one), all or none. */
    void affiliate(EntityBareJid owner, String node, Map<String, Affiliation> changes) {
        tx.run("change PEP affiliations of " + owner, connection -> {
            for (Map.Entry<String, Affiliation> change : changes.entrySet()) {
                try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_affiliations" + KEY + " AND jid = ?",
                        owner, node)) {
                    delete.setString(4, change.getKey());
                    delete.executeUpdate();
                }
                if (change.getValue() != Affiliation.NONE) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO pep_affiliations (domain, username, node, jid, affiliation) VALUES (?, ?, ?, ?, ?)")) {
                        bindKey(insert, 1, owner, node);
                        insert.setString(4, change.getKey());
                        insert.setString(5, change.getValue().value());
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    private static boolean retract(Connection connection, EntityBareJid owner, String node, String id) throws SQLException {
        try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_items" + KEY + " AND item_id = ?", owner, node)) {
            delete.setString(4, id);
            return delete.executeUpdate() > 0;
        }
    }

    /** Drops the oldest items beyond {@code kept}. */
    private static void trim(Connection connection, EntityBareJid owner, String node, int kept) throws SQLException {
        List<Long> old = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT seq FROM pep_items" + KEY + " ORDER BY seq DESC", owner, node);
             ResultSet rows = select.executeQuery()) {
            int seen = 0;
            while (rows.next()) {
                if (++seen > kept) {
                    old.add(rows.getLong(1));
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pep_items WHERE seq = ?")) {
            for (long seq : old) {
                delete.setLong(1, seq);
                delete.addBatch();
            }
            if (!old.isEmpty()) {
                delete.executeBatch();
            }
        }
    }

    private static List<PepItem> read(PreparedStatement select) throws SQLException {
        List<PepItem> items = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                items.add(new PepItem(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3)));
            }
        }
        return items;
    }

    static PreparedStatement prepare(Connection connection, String sql, EntityBareJid owner, String node)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        bindKey(statement, 1, owner, node);
        return statement;
    }

    static void bindKey(PreparedStatement statement, int first, EntityBareJid owner, String node) throws SQLException {
        statement.setString(first, owner.getDomain().toString());
        statement.setString(first + 1, owner.getLocalpart().toString());
        statement.setString(first + 2, node);
    }

    private static void bindConfig(PreparedStatement statement, int first, NodeConfig config) throws SQLException {
        statement.setString(first, config.accessModel().value());
        statement.setString(first + 1, String.join("\n", new TreeSet<>(config.rosterGroups())));
        statement.setInt(first + 2, config.maxItems());
        statement.setBoolean(first + 3, config.persistItems());
        statement.setString(first + 4, config.sendLast().value());
        statement.setBoolean(first + 5, config.deliverPayloads());
        statement.setBoolean(first + 6, config.notifyRetract());
        statement.setBoolean(first + 7, config.notifyDelete());
        statement.setString(first + 8, config.title());
        statement.setString(first + 9, config.description());
        statement.setString(first + 10, config.payloadType());
        statement.setString(first + 11, config.notificationType().value());
        statement.setBoolean(first + 12, config.deliverNotifications());
        statement.setBoolean(first + 13, config.notifyConfig());
        statement.setLong(first + 14, config.itemExpire());
    }

    private static NodeConfig config(ResultSet rows, int first) throws SQLException {
        String groups = rows.getString(first + 1);
        return new NodeConfig(AccessModel.of(rows.getString(first)).orElse(AccessModel.PRESENCE),
                groups.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(groups.split("\n"))), rows.getInt(first + 2),
                rows.getBoolean(first + 3), SendLast.of(rows.getString(first + 4)).orElse(SendLast.ON_SUB_AND_PRESENCE),
                rows.getBoolean(first + 5), rows.getBoolean(first + 6), rows.getBoolean(first + 7),
                rows.getString(first + 8), rows.getString(first + 9), rows.getString(first + 10),
                NodeConfig.NotificationType.of(rows.getString(first + 11)).orElse(NodeConfig.NotificationType.HEADLINE),
                rows.getBoolean(first + 12), rows.getBoolean(first + 13), rows.getLong(first + 14));
    }
}
