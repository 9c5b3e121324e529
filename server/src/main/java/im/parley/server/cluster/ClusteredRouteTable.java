package im.parley.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of a cluster node: this node's sessions ({@link InMemoryRouteTable}, which
 * fires the session events) and, behind the same interface, the sessions bound on the other
 * nodes ({@link RemoteSession}), so the router and every module see all resources of an account
 * wherever its clients are connected. Each node shares its own sessions in a Hazelcast
 * replicated map (full JID to {@link SessionRoute}): replicated, so that a lookup never waits for
 * another node; every node keeps an index of the others' entries from the map's events
 * ({@link RemoteSessions}). The entries of a node that leaves are removed by the oldest member
 * ({@link NodeFailures}).
 *
 * <p>Two nodes binding the same full JID (RFC 6120 §7.7.2.2): the map keeps the later write, on
 * every node alike; the node whose entry was replaced closes its session with {@code conflict}.
 *
 * <p>{@link #all()} and {@link #size()} are this node's sessions only (shutdown, gauges);
 * {@link #everywhere()} adds the other nodes' (the admin tools list and end those too).
 */
public final class ClusteredRouteTable implements RouteTable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRouteTable.class);
    static final String ROUTES = "parley.routes";
    /** The topic on which a node that merged back asks the others to write their routes again. */
    static final String SHARE_AGAIN = "parley.share-again";

    private final InMemoryRouteTable local;
    private final ClusterNode node;
    private final String localId;
    private final ReplicatedMap<String, SessionRoute> shared;
    private final RouteWrites writes;
    private final StanzaForwarder forwarder;
    private final SessionClosing closing;
    private final ClusterHomes homes;
    private final ClusterCaches caches;
    private final RemoteSessions remote = new RemoteSessions();
    /** What this node shares of each of its sessions (the modules keep the authoritative state). */
    private final Map<LocalSession, SharedFacts> mine = new ConcurrentHashMap<>();

    /** @param forwardTimeout how long a stanza sent to another node's session waits for that node's confirmation */
    public ClusteredRouteTable(InMemoryRouteTable local, ClusterNode node, Duration forwardTimeout) {
        this.local = local;
        this.node = node;
        this.localId = node.localId();
        this.shared = node.replicatedMap(ROUTES);
        this.writes = new RouteWrites(node, shared);
        this.forwarder = new StanzaForwarder(node, forwardTimeout);
        this.closing = new SessionClosing(node, local::find);
        closing.start();
        this.homes = new ClusterHomes(node, forwarder);
        this.caches = new ClusterCaches(node);
        shared.addEntryListener(new RouteEvents());
        node.<String>topic(SHARE_AGAIN).addMessageListener(message -> {
            if (!localId.equals(message.getMessageObject())) {
                shareAllAgain();
            }
        });
        for (Map.Entry<String, SessionRoute> entry : shared.entrySet()) {
            learn(entry.getKey(), entry.getValue());
        }
    }

    ClusterNode node() {
        return node;
    }

    StanzaForwarder forwarder() {
        return forwarder;
    }

    RouteWrites writes() {
        return writes;
    }

    RemoteSessions remote() {
        return remote;
    }

    @Override
    public Optional<LocalSession> bind(LocalSession session) {
        Optional<LocalSession> previous = local.bind(session);
        share(session, null);
        return previous;
    }

    /**
     * Ends a local session and removes its route, only while it is still this session's: a later
     * session bound under its full JID (RFC 6120 §7.7.2.2) keeps its own ({@link RouteWrites}).
     */
    @Override
    public void unbind(LocalSession session) {
        local.unbind(session);
        mine.remove(session);
        writes.remove(session.jid().toString(), session.id());
    }

    /**
     * Shares a local session's state: its availability and priority, and its last available
     * presence ({@code presenceXml}, null while unavailable). Unavailable, it has no directed
     * presence recipients any more (RFC 6121 §4.6.2: they are remembered while it is available).
     */
    void share(LocalSession session, String presenceXml) {
        boolean available = session.isAvailable();
        int priority = session.priority();
        change(session, facts -> facts.presence(available, priority, available ? presenceXml : null));
    }

    /** Shares that a local session requested the roster (RFC 6121 §2.1.2): other nodes push to it (§2.1.6). */
    void shareRosterRequested(LocalSession session) {
        change(session, SharedFacts::rosterRequested);
    }

    /**
     * Shares whether a local session has Message Carbons enabled (XEP-0280 §4, §5): the other
     * nodes copy to it the messages of its account they route (§6, §7).
     */
    void shareCarbons(LocalSession session, boolean enabled) {
        change(session, facts -> facts.carbons(enabled));
    }

    /**
     * Shares that a local session retrieved its block list (XEP-0191 §3.2): other nodes push it
     * the blocks and unblocks made through them (§3.3, §3.4).
     */
    void shareBlockListRequested(LocalSession session) {
        change(session, SharedFacts::blockListRequested);
    }

    /** Shares the entities a local session sent directed available presence to (RFC 6121 §4.6.2). */
    void shareDirectedPresence(LocalSession session, Set<Jid> recipients) {
        List<String> jids = recipients.stream().map(Jid::toString).sorted().toList();
        change(session, facts -> facts.directedTo(jids));
    }

    /**
     * Applies a change to what this node shares of its session and, if it changed anything, has
     * the session's route written: changes made before its batch runs go in the same write
     * ({@link RouteWrites}; directed presence to rooms, presence updates in a burst).
     */
    private void change(LocalSession session, Predicate<SharedFacts> change) {
        if (!isBoundHere(session)) {
            return;
        }
        SharedFacts facts = mine.computeIfAbsent(session, s -> new SharedFacts());
        if (!facts.change(change)) {
            return;
        }
        writes.put(session.jid().toString(), session.id(), () -> {
            SessionRoute route = facts.take(localId, session.id());
            // A session that ended meanwhile is not shared again (its removal went before).
            if (isBoundHere(session)) {
                return route;
            }
            mine.remove(session, facts);
            return null;
        });
    }

    private boolean isBoundHere(LocalSession session) {
        return local.find(session.jid()).filter(bound -> bound == session).isPresent();
    }

    @Override
    public Optional<LocalSession> find(EntityFullJid jid) {
        Optional<LocalSession> here = local.find(jid);
        return here.isPresent() ? here : Optional.ofNullable(remote.find(jid));
    }

    /** The account's sessions on this node and on the others. */
    @Override
    public List<LocalSession> sessionsOf(EntityBareJid account) {
        List<LocalSession> sessions = new ArrayList<>(local.sessionsOf(account));
        for (RemoteSession session : remote.of(account)) {
            if (local.find(session.jid()).isEmpty()) {
                sessions.add(session);
            }
        }
        return sessions;
    }

    /** This node's sessions. */
    @Override
    public int size() {
        return local.size();
    }

    /** This node's sessions. */
    @Override
    public List<LocalSession> all() {
        return local.all();
    }

    /** This node's sessions, then those bound on the other nodes (as this node knows them now). */
    @Override
    public List<LocalSession> everywhere() {
        List<LocalSession> sessions = new ArrayList<>(local.all());
        for (RemoteSession session : remote.all()) {
            if (local.find(session.jid()).isEmpty()) {
                sessions.add(session);
            }
        }
        return sessions;
    }

    /** Changes to stored state that the nodes cache (block lists), announced to the other nodes. */
    @Override
    public ClusterCaches caches() {
        return caches;
    }

    /** The homes of the rooms (and any entity with live state) on the cluster's nodes. */
    @Override
    public ClusterHomes homes() {
        return homes;
    }

    /** The session bound under {@code jid} on this node, never one of another node. */
    Optional<LocalSession> findHere(EntityFullJid jid) {
        return local.find(jid);
    }

    /** The sessions bound on other nodes, as this node knows them now. */
    public List<LocalSession> remoteSessions() {
        return List.copyOf(remote.all());
    }

    private void learn(String key, SessionRoute route) {
        EntityFullJid jid = fullJid(key);
        if (jid == null) {
            return;
        }
        if (route.node().equals(localId)) {
            remote.remove(jid, null);
        } else {
            remote.put(new RemoteSession(jid, route, forwarder, closing));
        }
    }

    private void forget(String key, SessionRoute route) {
        EntityFullJid jid = fullJid(key);
        if (jid != null && route != null) {
            remote.remove(jid, route.binding());
        }
    }

    /**
     * Writes again the route of a session still bound here whose entry was removed. A removal
     * reads an entry and then removes its key (ReplicatedMap has no compare-and-remove), so it
     * can take a route written in between under the same full JID: a client of a node that died
     * or stopped reconnects here with the same resource before the oldest node removed the dead
     * node's entries. Without its route the other nodes would take the session for gone and
     * store its messages offline while it is online.
     */
    private void shareAgainIfStillBound(String key) {
        EntityFullJid jid = fullJid(key);
        if (jid == null) {
            return;
        }
        local.find(jid).filter(mine::containsKey).filter(session -> !shared.containsKey(key)).ifPresent(session -> {
            LOG.info("the route of {} was removed while it is bound here: writing it again", jid);
            change(session, facts -> true);
        });
    }

    /** A session of this node lost its full JID to a later binding on another node. */
    private void replacedElsewhere(String key, SessionRoute before, SessionRoute after) {
        EntityFullJid jid = fullJid(key);
        if (jid == null) {
            return;
        }
        local.find(jid).filter(session -> session.id().equals(before.binding())).ifPresent(session -> {
            LOG.info("{} was bound again on node {}: closing it here", jid, after.node());
            session.close(StreamError.of(StreamErrorCondition.CONFLICT, "the resource was bound elsewhere"));
        });
    }

    /** The full JID another node shared or sent, or null (logged) if it is none. */
    static EntityFullJid fullJid(String key) {
        try {
            Jid jid = Jids.parse(key);
            return jid.asEntityFullJidIfPossible();
        } catch (JidMalformedException e) {
            LOG.warn("another node of the cluster sent an invalid JID: {}", key);
            return null;
        }
    }

    /** Keeps the index of the other nodes' sessions; runs on Hazelcast's event threads. */
    private final class RouteEvents implements EntryListener<String, SessionRoute> {

        @Override
        public void entryAdded(EntryEvent<String, SessionRoute> event) {
            learn(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, SessionRoute> event) {
            SessionRoute before = event.getOldValue();
            SessionRoute after = event.getValue();
            if (before != null && before.node().equals(localId) && !after.node().equals(localId)) {
                replacedElsewhere(event.getKey(), before, after);
            }
            learn(event.getKey(), after);
        }

        @Override
        public void entryRemoved(EntryEvent<String, SessionRoute> event) {
            forget(event.getKey(), event.getOldValue());
            shareAgainIfStillBound(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, SessionRoute> event) {
            forget(event.getKey(), event.getOldValue());
        }

        @Override
        public void entryExpired(EntryEvent<String, SessionRoute> event) {
            forget(event.getKey(), event.getOldValue());
        }

        @Override
        public void mapCleared(MapEvent event) {
            remote.clear();
        }

        @Override
        public void mapEvicted(MapEvent event) {
            remote.clear();
        }
    }

    /**
     * Asks the other nodes to write their sessions' routes again ({@link #shareAllAgain}), once
     * this node merged back into the cluster it was split from: Hazelcast fills its copy of the
     * replicated map without entry events (its anti-entropy, up to 30 s later), and the entry
     * events are what a node learns the other nodes' sessions from.
     */
    void askOthersToShareAgain() {
        node.send(() -> node.<String>topic(SHARE_AGAIN).publish(localId));
    }

    /**
     * Writes the routes of all this node's sessions again, as a node that merged back asks. A
     * route written again is the same route: the nodes that knew it learn nothing new.
     */
    void shareAllAgain() {
        for (LocalSession session : local.all()) {
            change(session, facts -> true);
        }
    }

    /**
     * After this node merged back into the cluster it was split from: forgets the sessions of
     * nodes that are not members and learns the routes its copy of the map has now (the others
     * write theirs again when it asks, {@link #askOthersToShareAgain}). On the outbox, after the writes
     * asked for before.
     */
    void relearnAfterMerge() {
        node.send(() -> {
            for (RemoteSession session : remote.all()) {
                if (!node.isMember(session.route().node())) {
                    remote.removeNode(session.route().node());
                }
            }
            shared.forEach(this::learn);
        });
    }

    /**
     * Removes the shared entries of a node that left (the oldest member does it, once), unless it
     * is a member again when the outbox gets to it: a node split from the cluster takes the
     * others for gone, and its removal must not run after it merged back, on their live routes.
     */
    void removeEntriesOf(String nodeId) {
        node.send(() -> {
            if (node.isMemberNow(nodeId)) {
                LOG.info("node {} is back in the cluster: its routes stay", nodeId);
                return;
            }
            // Each removed only while it still holds the dead node's binding (read again just
            // before, RouteWrites): a session bound since under the same full JID on a live node
            // stays (the narrow window left is closed by shareAgainIfStillBound).
            shared.forEach((key, route) -> {
                if (route.node().equals(nodeId)) {
                    writes.remove(key, route.binding());
                }
            });
        });
    }
}
