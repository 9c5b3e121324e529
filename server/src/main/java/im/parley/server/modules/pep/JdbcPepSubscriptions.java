package im.parley.server.modules.pep;

import static im.parley.server.modules.pep.JdbcPepStore.KEY;
import static im.parley.server.modules.pep.JdbcPepStore.bindKey;
import static im.parley.server.modules.pep.JdbcPepStore.prepare;
import static im.parley.server.storage.SqlTransactions.bindOwner;

import im.parley.server.storage.SqlTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The explicit subscriptions to every account's PEP nodes (XEP-0060 §6.1, §6.2, §8.8) on the
 * module's table {@code pep_subscriptions}: one per node and subscribed JID, bare or full, as the
 * subscriber gave it. Blocking: call on the blocking executor.
 */
final class JdbcPepSubscriptions {

    /** One subscription: the node, the JID that gets its notifications, and its options (§6.3). */
    record Subscription(String node, String jid, SubscriptionOptions options) {
    }

    /** What {@link #subscribe} did. */
    enum Subscribing { SUBSCRIBED, ALREADY, TOO_MANY }

    /**
     * The most subscriptions one entity (a bare JID with its full JIDs) may hold to one node, so
     * that no one fills a node's {@code pep.max_subscriptions} alone (XEP-0060 §6.1.3.9 lets the
     * service count by bare JID).
     */
    static final int MAX_PER_ENTITY = 16;

    private final SqlTransactions tx;

    JdbcPepSubscriptions(DataSource database) {
        this.tx = new SqlTransactions(database);
    }

    /**
     * Subscribes {@code jid} to an existing node, with the default options, unless it is already,
     * the node has {@code max} subscriptions, or the entity (its bare JID) has
     * {@link #MAX_PER_ENTITY} of them there.
     */
    Subscribing subscribe(EntityBareJid owner, String node, String jid, int max) {
        return subscribe(owner, node, jid, null, max);
    }

    /**
     * As {@link #subscribe(EntityBareJid, String, String, int)}, with {@code options} (null: the
     * defaults for a new subscription; one that exists keeps its own, or takes these).
     */
    Subscribing subscribe(EntityBareJid owner, String node, String jid, SubscriptionOptions options, int max) {
        return tx.runRetryingDuplicateKey("subscribe to a PEP node of " + owner, connection -> {
            // The node's row locked first: subscriptions to one node are counted and added one
            // transaction at a time, so that two at once cannot both pass the last free place.
            try (PreparedStatement lock = prepare(connection, "SELECT 1 FROM pep_nodes" + KEY + " FOR UPDATE", owner, node)) {
                lock.executeQuery().close();
            }
            try (PreparedStatement exists = prepare(connection, "SELECT 1 FROM pep_subscriptions" + KEY + " AND jid = ?",
                    owner, node)) {
                exists.setString(4, jid);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        if (options != null) {
                            setOptions(connection, owner, node, jid, options);
                        }
                        return Subscribing.ALREADY;
                    }
                }
            }
            try (PreparedStatement count = prepare(connection, "SELECT COUNT(*) FROM pep_subscriptions" + KEY, owner, node);
                 ResultSet rows = count.executeQuery()) {
                rows.next();
                if (rows.getInt(1) >= max) {
                    return Subscribing.TOO_MANY;
                }
            }
            try (PreparedStatement count = prepare(connection, "SELECT COUNT(*) FROM pep_subscriptions" + KEY
                    + " AND (jid = ? OR jid LIKE ? ESCAPE '!')", owner, node)) {
                bindSubscriber(count, 4, bareOf(jid));
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) >= MAX_PER_ENTITY) {
                        return Subscribing.TOO_MANY;
                    }
                }
            }
            SubscriptionOptions given = options == null ? SubscriptionOptions.DEFAULT : options;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pep_subscriptions "
                    + "(domain, username, node, jid, deliver, include_body) VALUES (?, ?, ?, ?, ?, ?)")) {
                bindKey(insert, 1, owner, node);
                insert.setString(4, jid);
                insert.setBoolean(5, given.deliver());
                insert.setBoolean(6, given.includeBody());
                insert.executeUpdate();
            }
            return Subscribing.SUBSCRIBED;
        });
    }

    /** The options of {@code jid}'s subscription to a node, if it has one. */
    Optional<SubscriptionOptions> options(EntityBareJid owner, String node, String jid) {
        return tx.run("read a PEP subscription's options at " + owner, connection -> {
            try (PreparedStatement select = prepare(connection, "SELECT deliver, include_body FROM pep_subscriptions"
                    + KEY + " AND jid = ?", owner, node)) {
                select.setString(4, jid);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(new SubscriptionOptions(rows.getBoolean(1), rows.getBoolean(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Sets the options of {@code jid}'s subscription to a node; false if it has none. */
    boolean setOptions(EntityBareJid owner, String node, String jid, SubscriptionOptions options) {
        return tx.run("set a PEP subscription's options at " + owner,
                connection -> setOptions(connection, owner, node, jid, options) > 0);
    }

    private static int setOptions(Connection connection, EntityBareJid owner, String node, String jid,
                                  SubscriptionOptions options) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE pep_subscriptions SET deliver = ?, "
                + "include_body = ? WHERE domain = ? AND username = ? AND node = ? AND jid = ?")) {
            update.setBoolean(1, options.deliver());
            update.setBoolean(2, options.includeBody());
            bindKey(update, 3, owner, node);
            update.setString(6, jid);
            return update.executeUpdate();
        }
    }

    /** Ends {@code jid}'s subscription to a node; false if there was none. */
    boolean unsubscribe(EntityBareJid owner, String node, String jid) {
        return tx.run("unsubscribe from a PEP node of " + owner, connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_subscriptions" + KEY + " AND jid = ?",
                    owner, node)) {
                delete.setString(4, jid);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** The JIDs subscribed to a node, in code-point order, each with its subscription's options. */
    SortedMap<String, SubscriptionOptions> subscribers(EntityBareJid owner, String node) {
        return tx.run("read the subscribers of a PEP node of " + owner, connection -> {
            try (PreparedStatement select = prepare(connection, "SELECT jid, deliver, include_body FROM pep_subscriptions"
                    + KEY, owner, node); ResultSet rows = select.executeQuery()) {
                SortedMap<String, SubscriptionOptions> jids = new TreeMap<>();
                while (rows.next()) {
                    jids.put(rows.getString(1), new SubscriptionOptions(rows.getBoolean(2), rows.getBoolean(3)));
                }
                return jids;
            }
        });
    }

    /**
     * The subscriptions at {@code owner}'s service of every JID whose bare JID is
     * {@code subscriber} (XEP-0060 §5.6), by node then JID.
     */
    List<Subscription> subscriptionsOf(EntityBareJid owner, BareJid subscriber) {
        return tx.run("read PEP subscriptions at " + owner, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT node, jid, deliver, include_body FROM pep_subscriptions"
                    + " WHERE domain = ? AND username = ? AND (jid = ? OR jid LIKE ? ESCAPE '!')")) {
                bindOwner(select, owner);
                bindSubscriber(select, 3, subscriber);
                List<Subscription> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Subscription(rows.getString(1), rows.getString(2),
                                new SubscriptionOptions(rows.getBoolean(3), rows.getBoolean(4))));
                    }
                }
                found.sort(Comparator.comparing(Subscription::node).thenComparing(Subscription::jid));
                return found;
            }
        });
    }

    /** Ends the subscriptions to a node of {@code subscriber} and its full JIDs (an outcast has none, XEP-0060 §4.1). */
    void unsubscribeAll(EntityBareJid owner, String node, BareJid subscriber) {
        tx.run("unsubscribe from a PEP node of " + owner, connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM pep_subscriptions" + KEY
                    + " AND (jid = ? OR jid LIKE ? ESCAPE '!')", owner, node)) {
                bindSubscriber(delete, 4, subscriber);
                return delete.executeUpdate();
            }
        });
    }

    /** Ends every subscription of {@code subscriber} and its full JIDs, at every account: its account is gone. */
    void unsubscribeEverywhere(BareJid subscriber) {
        tx.run("end the PEP subscriptions of " + subscriber, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pep_subscriptions WHERE jid = ? OR jid LIKE ? ESCAPE '!'")) {
                bindSubscriber(delete, 1, subscriber);
                return delete.executeUpdate();
            }
        });
    }

    /** The bare JID part of a JID as stored (parsed when it was subscribed). */
    private static String bareOf(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** The bare JID and the LIKE pattern of its full JIDs ({@code bare/%}, the bare JID's own wildcards escaped). */
    private static void bindSubscriber(PreparedStatement statement, int first, BareJid subscriber) throws SQLException {
        bindSubscriber(statement, first, subscriber.toString());
    }

    private static void bindSubscriber(PreparedStatement statement, int first, String bare) throws SQLException {
        statement.setString(first, bare);
        statement.setString(first + 1, bare.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "/%");
    }
}
