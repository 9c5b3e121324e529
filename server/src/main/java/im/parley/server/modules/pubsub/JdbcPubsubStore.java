package im.parley.server.modules.pubsub;

import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.SubscriptionOptions;
import im.parley.server.storage.SqlTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The nodes of the publish-subscribe services of a host (XEP-0060), their items, affiliations and
 * subscriptions, in the module's tables ({@code db/pubsub}), keyed by the service's domain and
 * the node. Blocking: call on the blocking executor.
 */
final class JdbcPubsubStore {

    /** A stored node: its configuration as kept ({@link NodeSettings#stored()}) and when it was created. */
    record StoredNode(String name, String config, Instant created) {
    }

    /** One published item: its id, its publisher's JID, when, and its payload as XML (empty: none). */
    record Item(String id, String publisher, Instant published, String payloadXml) {
    }

    /** One subscription to a node: the subscribed JID (bare or full, as given), its state and its options (§6.3). */
    record Subscription(String node, String jid, SubscriptionState state, SubscriptionOptions options) {

        Subscription(String node, String jid, SubscriptionState state) {
            this(node, jid, state, SubscriptionOptions.DEFAULT);
        }
    }

    private static final String KEY = " WHERE service = ? AND node = ?";
    /** Lists come in code point order on both databases, whatever PostgreSQL's collation. */
    private static final Comparator<Subscription> BY_NODE_AND_JID = Comparator.comparing(Subscription::node)
            .thenComparing(Subscription::jid);

    private final SqlTransactions tx;

    JdbcPubsubStore(DataSource database) {
        this.tx = new SqlTransactions(database);
    }

    /** Creates a node with its first owner; false if it exists. */
    boolean create(String service, String node, String config, Instant created, String owner) {
        return tx.runRetryingDuplicateKey("create pubsub node " + node, connection -> {
            if (exists(connection, service, node)) {
                return false;
            }
            update(connection, "INSERT INTO pubsub_nodes (service, node, config, created) VALUES (?, ?, ?, ?)",
                    service, node, config, created.toEpochMilli());
            update(connection, "INSERT INTO pubsub_affiliations (service, node, jid, affiliation) VALUES (?, ?, ?, ?)",
                    service, node, owner, Affiliation.OWNER.value());
            return true;
        });
    }

    Optional<StoredNode> node(String service, String node) {
        return tx.run("read pubsub node " + node, connection -> {
            try (PreparedStatement s = prepare(connection, "SELECT node, config, created FROM pubsub_nodes" + KEY, service, node);
                 ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(storedNode(rows)) : Optional.empty();
            }
        });
    }

    /** Every node of the service, by name. */
    List<StoredNode> nodes(String service) {
        return tx.run("list pubsub nodes", connection -> {
            List<StoredNode> nodes = new ArrayList<>();
            try (PreparedStatement s = prepare(connection,
                    "SELECT node, config, created FROM pubsub_nodes WHERE service = ?", service);
                 ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    nodes.add(storedNode(rows));
                }
            }
            // The same order on both databases, whatever PostgreSQL's collation: by code point.
            nodes.sort(Comparator.comparing(StoredNode::name));
            return nodes;
        });
    }

    void configure(String service, String node, String config) {
        tx.run("configure pubsub node " + node, connection ->
                update(connection, "UPDATE pubsub_nodes SET config = ?" + KEY, config, service, node));
    }

    /** Deletes a node with its items, affiliations and subscriptions. */
    boolean delete(String service, String node) {
        return tx.run("delete pubsub node " + node, connection ->
                update(connection, "DELETE FROM pubsub_nodes" + KEY, service, node) > 0);
    }

    /** How many nodes {@code jid} owns at the service. */
    int ownedNodes(String service, String jid) {
        return tx.run("count owned pubsub nodes", connection -> {
            try (PreparedStatement s = prepare(connection, "SELECT COUNT(*) FROM pubsub_affiliations WHERE service = ? "
                    + "AND jid = ? AND affiliation = ?", service, jid, Affiliation.OWNER.value());
                 ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    /**
     * Publishes an item: a republished id replaces the item of that id and becomes the newest;
     * then only the newest {@code keep} remain.
     */
    void publish(String service, String node, Item item, int keep) {
        tx.run("publish to pubsub node " + node, connection -> {
            update(connection, "DELETE FROM pubsub_items" + KEY + " AND item_id = ?", service, node, item.id());
            update(connection, "INSERT INTO pubsub_items (service, node, item_id, publisher, published, payload) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", service, node, item.id(), item.publisher(),
                    item.published().toEpochMilli(), item.payloadXml());
            trim(connection, service, node, keep);
            return null;
        });
    }

    /** Keeps the newest {@code keep} items of a node (a lower {@code max_items}, §16.4.4). */
    void trim(String service, String node, int keep) {
        tx.run("trim pubsub node " + node, connection -> {
            trim(connection, service, node, keep);
            return null;
        });
    }

    private static void trim(Connection connection, String service, String node, int keep) throws SQLException {
        List<Long> old = new ArrayList<>();
        try (PreparedStatement s = prepare(connection, "SELECT seq FROM pubsub_items" + KEY + " ORDER BY seq DESC",
                service, node); ResultSet rows = s.executeQuery()) {
            for (int row = 0; rows.next(); row++) {
                if (row >= keep) {
                    old.add(rows.getLong(1));
                }
            }
        }
        for (long seq : old) {
            update(connection, "DELETE FROM pubsub_items WHERE seq = ?", seq);
        }
    }

    /** The newest {@code max} items (all if negative), oldest first. */
    List<Item> items(String service, String node, int max) {
        return tx.run("read pubsub items of " + node, connection -> {
            List<Item> items = new ArrayList<>();
            try (PreparedStatement s = prepare(connection, "SELECT item_id, publisher, published, payload FROM pubsub_items"
                    + KEY + " ORDER BY seq DESC", service, node); ResultSet rows = s.executeQuery()) {
                while ((max < 0 || items.size() < max) && rows.next()) {
                    items.add(item(rows));
                }
            }
            Collections.reverse(items);
            return items;
        });
    }

    /** Where each item of the node stands, oldest first (XEP-0059 pages, {@link Pubsub#page}). */
    List<Pubsub.ItemPosition> positions(String service, String node) {
        return tx.run("read pubsub item ids of " + node, connection -> {
            List<Pubsub.ItemPosition> positions = new ArrayList<>();
            try (PreparedStatement s = prepare(connection, "SELECT seq, item_id FROM pubsub_items" + KEY + " ORDER BY seq",
                    service, node); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    positions.add(new Pubsub.ItemPosition(rows.getLong(1), rows.getString(2)));
                }
            }
            return positions;
        });
    }

    /** The items whose positions are from {@code first} to {@code last} ({@link #positions}), oldest first. */
    List<Item> items(String service, String node, long first, long last) {
        return tx.run("read a page of pubsub items of " + node, connection -> {
            List<Item> items = new ArrayList<>();
            try (PreparedStatement s = prepare(connection, "SELECT item_id, publisher, published, payload FROM pubsub_items"
                    + KEY + " AND seq BETWEEN ? AND ? ORDER BY seq", service, node, first, last);
                 ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    items.add(item(rows));
                }
            }
            return items;
        });
    }

    /** Deletes the node's items published before {@code cutoff} (§16.4.4 {@code pubsub#item_expire}); how many. */
    int expire(String service, String node, Instant cutoff) {
        return tx.run("expire pubsub items of " + node, connection ->
                update(connection, "DELETE FROM pubsub_items" + KEY + " AND published < ?", service, node,
                        cutoff.toEpochMilli()));
    }

    /** The items of {@code ids} that exist, oldest first. */
    List<Item> items(String service, String node, Collection<String> ids) {
        List<Item> all = items(service, node, -1);
        return all.stream().filter(item -> ids.contains(item.id())).toList();
    }

    boolean retract(String service, String node, String id) {
        return tx.run("retract from pubsub node " + node, connection ->
                update(connection, "DELETE FROM pubsub_items" + KEY + " AND item_id = ?", service, node, id) > 0);
    }

    void purge(String service, String node) {
        tx.run("purge pubsub node " + node, connection -> update(connection, "DELETE FROM pubsub_items" + KEY, service, node));
    }

    /** The affiliations other than none, by bare JID. */
    Map<String, Affiliation> affiliations(String service, String node) {
        return tx.run("read pubsub affiliations of " + node, connection -> {
            Map<String, Affiliation> affiliations = new TreeMap<>();
            try (PreparedStatement s = prepare(connection, "SELECT jid, affiliation FROM pubsub_affiliations" + KEY,
                    service, node); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    String jid = rows.getString(1);
                    Affiliation.of(rows.getString(2)).ifPresent(a -> affiliations.put(jid, a));
                }
            }
            return affiliations;
        });
    }

    /** The nodes where {@code jid} has an affiliation other than none, with it. */
    Map<String, Affiliation> affiliationsOf(String service, String jid) {
        return tx.run("read pubsub affiliations of " + jid, connection -> {
            Map<String, Affiliation> affiliations = new TreeMap<>();
            try (PreparedStatement s = prepare(connection, "SELECT node, affiliation FROM pubsub_affiliations "
                    + "WHERE service = ? AND jid = ?", service, jid); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    String node = rows.getString(1);
                    Affiliation.of(rows.getString(2)).ifPresent(a -> affiliations.put(node, a));
                }
            }
            return affiliations;
        });
    }

    /** Sets affiliations at once: {@link Affiliation#NONE} removes one. */
    void affiliate(String service, String node, Map<String, Affiliation> changes) {
        tx.runRetryingDuplicateKey("change pubsub affiliations of " + node, connection -> {
            for (Map.Entry<String, Affiliation> change : changes.entrySet()) {
                update(connection, "DELETE FROM pubsub_affiliations" + KEY + " AND jid = ?", service, node, change.getKey());
                if (change.getValue() != Affiliation.NONE) {
                    update(connection, "INSERT INTO pubsub_affiliations (service, node, jid, affiliation) VALUES (?, ?, ?, ?)",
                            service, node, change.getKey(), change.getValue().value());
                }
            }
            return null;
        });
    }

    /** The subscriptions to a node, by subscribed JID. */
    List<Subscription> subscriptions(String service, String node) {
        return tx.run("read pubsub subscriptions of " + node, connection -> {
            List<Subscription> subscriptions = new ArrayList<>();
            try (PreparedStatement s = prepare(connection, "SELECT node, jid, state, deliver, include_body FROM pubsub_subscriptions" + KEY,
                    service, node); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    subscriptions.add(subscription(rows));
                }
            }
            subscriptions.sort(BY_NODE_AND_JID);
            return subscriptions;
        });
    }

    /** {@code jid}'s subscription to a node, if it has one. */
    Optional<Subscription> subscription(String service, String node, String jid) {
        return tx.run("read a pubsub subscription to " + node, connection -> {
            try (PreparedStatement s = prepare(connection, "SELECT node, jid, state, deliver, include_body FROM pubsub_subscriptions" + KEY
                    + " AND jid = ?", service, node, jid); ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(subscription(rows)) : Optional.empty();
            }
        });
    }

    /** The subscriptions of the JIDs of one entity ({@code bare} and its full JIDs), of every node. */
    List<Subscription> subscriptionsOf(String service, String bare) {
        return tx.run("read pubsub subscriptions of " + bare, connection -> {
            List<Subscription> subscriptions = new ArrayList<>();
            try (PreparedStatement s = prepare(connection, "SELECT node, jid, state, deliver, include_body FROM pubsub_subscriptions "
                    + "WHERE service = ? AND (jid = ? OR jid LIKE ? ESCAPE '!')", service, bare,
                    likePrefix(bare + "/")); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    subscriptions.add(subscription(rows));
                }
            }
            subscriptions.sort(BY_NODE_AND_JID);
            return subscriptions;
        });
    }

    /**
     * Sets a subscription's state, or removes it ({@code null}); false if the node has {@code max}
     * already. A subscription that stays keeps its options.
     */
    boolean subscribe(String service, String node, String jid, SubscriptionState state, int max) {
        return subscribe(service, node, jid, state, null, max);
    }

    /**
     * Sets a subscription's state, or removes it ({@code null}), and its options ({@code null}: a
     * new subscription gets the defaults, one that stays keeps its own); false if the node has
     * {@code max} already.
     */
    boolean subscribe(String service, String node, String jid, SubscriptionState state, SubscriptionOptions options,
                      int max) {
        return tx.runRetryingDuplicateKey("subscribe to pubsub node " + node, connection -> {
            try (PreparedStatement lock = prepare(connection, "SELECT 1 FROM pubsub_nodes" + KEY + " FOR UPDATE",
                    service, node)) {
                lock.executeQuery().close();
            }
            if (state == null) {
                update(connection, "DELETE FROM pubsub_subscriptions" + KEY + " AND jid = ?", service, node, jid);
                return true;
            }
            int changed = options == null
                    ? update(connection, "UPDATE pubsub_subscriptions SET state = ?" + KEY + " AND jid = ?",
                            state.value(), service, node, jid)
                    : update(connection, "UPDATE pubsub_subscriptions SET state = ?, deliver = ?, include_body = ?" + KEY
                            + " AND jid = ?", state.value(), options.deliver(), options.includeBody(), service, node, jid);
            if (changed > 0) {
                return true;
            }
            try (PreparedStatement count = prepare(connection, "SELECT COUNT(*) FROM pubsub_subscriptions" + KEY,
                    service, node); ResultSet rows = count.executeQuery()) {
                rows.next();
                if (rows.getInt(1) >= max) {
                    return false;
                }
            }
            SubscriptionOptions given = options == null ? SubscriptionOptions.DEFAULT : options;
            update(connection, "INSERT INTO pubsub_subscriptions (service, node, jid, state, deliver, include_body) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", service, node, jid, state.value(), given.deliver(), given.includeBody());
            return true;
        });
    }

    /** Removes every affiliation and subscription of one entity ({@code bare} and its full JIDs). */
    void forget(String service, String bare) {
        tx.run("forget " + bare + " at the pubsub service", connection -> {
            update(connection, "DELETE FROM pubsub_affiliations WHERE service = ? AND jid = ?", service, bare);
            update(connection, "DELETE FROM pubsub_subscriptions WHERE service = ? AND (jid = ? OR jid LIKE ? ESCAPE '!')",
                    service, bare, likePrefix(bare + "/"));
            return null;
        });
    }

    /** How many items the service's nodes hold (metrics, tests). */
    long itemCount(String service) {
        return tx.run("count pubsub items", connection -> {
            try (PreparedStatement s = prepare(connection, "SELECT COUNT(*) FROM pubsub_items WHERE service = ?", service);
                 ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    private static boolean exists(Connection connection, String service, String node) throws SQLException {
        try (PreparedStatement s = prepare(connection, "SELECT 1 FROM pubsub_nodes" + KEY, service, node);
             ResultSet rows = s.executeQuery()) {
            return rows.next();
        }
    }

    private static StoredNode storedNode(ResultSet rows) throws SQLException {
        return new StoredNode(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3)));
    }

    private static Item item(ResultSet rows) throws SQLException {
        return new Item(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4));
    }

    private static Subscription subscription(ResultSet rows) throws SQLException {
        return new Subscription(rows.getString(1), rows.getString(2), SubscriptionState.of(rows.getString(3))
                .orElse(SubscriptionState.PENDING), new SubscriptionOptions(rows.getBoolean(4), rows.getBoolean(5)));
    }

    /** A LIKE pattern for the strings that start with {@code prefix}, its wildcards escaped with {@code !}. */
    private static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(connection, sql, parameters)) {
            return s.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
        return s;
    }
}
