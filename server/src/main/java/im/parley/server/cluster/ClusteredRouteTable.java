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
 * replicated map (full JID and node, {@link RouteKey}, to {@link SessionRoute}): replicated, so
 * that a lookup never waits for another node; every node keeps an index of the others' entries
 * from the map's events ({@link RemoteSessions}). A node writes and removes only its own keys.
 * The entries of a node that leaves are removed by the oldest member ({@link NodeFailures}).
 *
 * <p>Two nodes binding the same full JID (RFC 6120 §7.7.2.2): the later binding wins
 * ({@link SessionRoute#boundAfter}, the same choice on every node); the node of the earlier one
 * closes its session with {@code conflict} when it sees the other's entry, and the other nodes
 * route to the later one meanwhile.
 *
 * <p>{@link #all()} and {@link #size()} are this node's sessions only (shutdown, gauges);
 * {@link #everywhere()} adds the other nodes' (the admin tools list and end those too).
 */
public final class ClusteredRouteTable implements RouteTable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRouteTable.class);
    /**
     * The route map. Its name changed with its keys (full JID to full JID and node, December
     * 2026; the earlier versions' nodes share theirs in {@code parley.routes}): nodes of both
     * versions do not see each other's sessions (docs/operations.md, Clustering).
     */
    static final String ROUTES = "parley.routes.by-node";
    /** The topic on which a node that merged back asks the others to write their routes again. */
    static final String SHARE_AGAIN = "parley.share-again";

    private final InMemoryRouteTable local;
    private final ClusterNode node;
    private final String localId;
    private final ReplicatedMap<RouteKey, SessionRoute> shared;
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
        this.forwarder = new StanzaForwarder(node, forwardTimeout, this::originOf);
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
        for (Map.Entry<RouteKey, SessionRoute> entry : shared.entrySet()) {
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
     * session bound under its full JID on this node (RFC 6120 §7.7.2.2) keeps its own
     * ({@link RouteWrites}), and another node's route is under a key of its own.
     */
    @Override
    public void unbind(LocalSession session) {
        local.unbind(session);
        mine.remove(session);
        writes.remove(keyOf(session), session.id());
    }

    private RouteKey keyOf(LocalSession session) {
        return new RouteKey(session.jid().toString(), localId);
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
        SharedFacts facts = mine.computeIfAbsent(session, s -> new SharedFacts(node.clusterTime()));
        if (!facts.change(change)) {
            return;
        }
        writes.put(keyOf(session), session.id(), () -> {
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

    /**
     * The binding of the session bound here under {@code from}, which a stanza from it forwarded
     * to another node carries ({@link ForwardedStanza.Origin}); null if {@code from} is no session
     * of this node, or one not shared yet.
     */
    private ForwardedStanza.Origin originOf(String from) {
        EntityFullJid jid = from == null ? null : StanzaForwarder.fullJidOrNull(from);
        LocalSession session = jid == null ? null : local.find(jid).orElse(null);
        SharedFacts facts = session == null ? null : mine.get(session);
        return facts == null ? null : new ForwardedStanza.Origin(session.id(), facts.boundAt());
    }

    /**
     * Learns the session a stanza another node forwarded comes from ({@code from}, bound there as
     * {@code forwarded}'s {@link ForwardedStanza.Origin} says), if this node does not know it yet.
     * The route map brings a node's sessions to the others asynchronously, on other threads than
     * its stanzas: a client that binds and sends at once (enters a room, asks a question) reaches
     * another node before its route does, and what is sent back to it there (the room's
     * occupants' presence, XEP-0045 §7.2.3; the answer, RFC 6120 §8.2.3) must find it, not be
     * taken for an unknown resource's (RFC 6121 §8.5.3.2: presence ignored, a message bounced).
     * It is known with its binding only (no presence, unavailable) until its route arrives; a
     * binding whose route was already removed is not learned again ({@link RemoteSessions}).
     */
    void learnOrigin(ForwardedStanza forwarded, Jid from) {
        ForwardedStanza.Origin origin = forwarded.origin();
        EntityFullJid jid = from == null ? null : from.asEntityFullJidIfPossible();
        if (origin == null || jid == null || forwarded.sender().equals(localId) || !node.isMember(forwarded.sender())
                || local.find(jid).isPresent()) {
            return;
        }
        SessionRoute route = SessionRoute.boundOnly(forwarded.sender(), origin.binding(), origin.boundAt());
        remote.putIfUnknown(new RemoteSession(jid, route, forwarder, closing));
    }

    /** Indexes another node's route; if this node has a session of the same full JID bound earlier, closes it. */
    private void learn(RouteKey key, SessionRoute route) {
        if (key.node().equals(localId)) {
            return;
        }
        EntityFullJid jid = fullJid(key.jid());
        if (jid == null || !key.node().equals(route.node())) {
            return;
        }
        remote.put(new RemoteSession(jid, route, forwarder, closing));
        replacedElsewhere(jid, route);
    }

    private void forget(RouteKey key, SessionRoute route) {
        if (key.node().equals(localId) || route == null) {
            return;
        }
        EntityFullJid jid = fullJid(key.jid());
        if (jid != null) {
            remote.remove(jid, route.binding());
        }
    }

    /**
     * Writes again the route of a session still bound here whose entry was removed. Only this
     * node removes its own keys, but for one case: the oldest node removes the keys of a node it
     * takes for dead, and this node may have been taken for dead while it was only cut off or
     * paused, then come back. Without its route the other nodes would take the session for gone
     * and store its messages offline while it is online.
     */
    private void shareAgainIfStillBound(RouteKey key) {
        EntityFullJid jid = key.node().equals(localId) ? fullJid(key.jid()) : null;
        if (jid == null) {
            return;
        }
        local.find(jid).filter(mine::containsKey).filter(session -> !shared.containsKey(key)).ifPresent(session -> {
            LOG.info("the route of {} was removed while it is bound here: writing it again", jid);
            change(session, facts -> true);
        });
    }

    /**
     * Closes this node's session of {@code jid} with {@code conflict} if {@code other}, another
     * node's route of the same full JID, was bound later (RFC 6120 §7.7.2.2). A session whose
     * facts this node has not recorded yet has not been shared either: the other node closes its
     * own session when this one's route arrives, if that one is the earlier.
     */
    private void replacedElsewhere(EntityFullJid jid, SessionRoute other) {
        local.find(jid).ifPresent(session -> {
            SharedFacts facts = mine.get(session);
            if (facts != null && other.boundAfter(facts.boundAt(), localId)) {
                LOG.info("{} was bound again on node {}: closing it here", jid, other.node());
                session.close(StreamError.of(StreamErrorCondition.CONFLICT, "the resource was bound elsewhere"));
            }
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
    private final class RouteEvents implements EntryListener<RouteKey, SessionRoute> {

        @Override
        public void entryAdded(EntryEvent<RouteKey, SessionRoute> event) {
            learn(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<RouteKey, SessionRoute> event) {
            learn(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<RouteKey, SessionRoute> event) {
            forget(event.getKey(), event.getOldValue());
            shareAgainIfStillBound(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<RouteKey, SessionRoute> event) {
            forget(event.getKey(), event.getOldValue());
        }

        @Override
        public void entryExpired(EntryEvent<RouteKey, SessionRoute> event) {
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
            // Only the dead node's own keys: a session bound since under the same full JID on a
            // live node has a key of its own.
            shared.forEach((key, route) -> {
                if (key.node().equals(nodeId)) {
                    writes.remove(key, route.binding());
                }
            });
        });
    }
}
