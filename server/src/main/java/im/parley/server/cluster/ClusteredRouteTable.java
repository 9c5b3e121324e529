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
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of a cluster node: this node's sessions ({@link InMemoryRouteTable}, which
 * fires the session events) and, behind the same interface, the sessions bound on the other
 * nodes ({@link RemoteSession}), so the router and every module see all resources of an account
 * wherever its clients are connected. Each node shares its own sessions ({@link SharedSessions})
 * in a Hazelcast replicated map (full JID and node, {@link RouteKey}, to {@link SessionRoute}):
 * replicated, so that a lookup never waits for another node; every node keeps an index of the
 * others' entries from the map's events ({@link RemoteSessions}). A node writes and removes only
 * its own keys.
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
    private final SharedSessions sharing;
    private final StanzaForwarder forwarder;
    private final SessionClosing closing;
    private final ClusterHomes homes;
    private final ClusterCaches caches;
    private final RemoteSessions remote = new RemoteSessions();

    /** @param forwardTimeout how long a stanza sent to another node's session waits for that node's confirmation */
    public ClusteredRouteTable(InMemoryRouteTable local, ClusterNode node, Duration forwardTimeout) {
        this.local = local;
        this.node = node;
        this.localId = node.localId();
        this.shared = node.replicatedMap(ROUTES);
        this.sharing = new SharedSessions(local, node, shared);
        this.forwarder = new StanzaForwarder(node, forwardTimeout, sharing::originOf);
        this.closing = new SessionClosing(node, local::find);
        closing.start();
        this.homes = new ClusterHomes(node, forwarder);
        this.caches = new ClusterCaches(node);
        shared.addEntryListener(new RouteEvents());
        node.<String>topic(SHARE_AGAIN).addMessageListener(message -> {
            if (!localId.equals(message.getMessageObject())) {
                sharing.shareAllAgain();
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
        return sharing.writes();
    }

    /** What this node shares of its own sessions with the others. */
    SharedSessions sharing() {
        return sharing;
    }

    RemoteSessions remote() {
        return remote;
    }

    @Override
    public Optional<LocalSession> bind(LocalSession session) {
        Optional<LocalSession> previous = local.bind(session);
        sharing.bound(session);
        return previous;
    }

    /** Ends a local session and removes its route ({@link SharedSessions#unbound}). */
    @Override
    public void unbind(LocalSession session) {
        local.unbind(session);
        sharing.unbound(session);
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
     * Closes this node's session of {@code jid} with {@code conflict} if {@code other}, another
     * node's route of the same full JID, was bound later (RFC 6120 §7.7.2.2). A session whose
     * facts this node has not recorded yet has not been shared either: the other node closes its
     * own session when this one's route arrives, if that one is the earlier.
     */
    private void replacedElsewhere(EntityFullJid jid, SessionRoute other) {
        local.find(jid).ifPresent(session -> {
            Long boundAt = sharing.boundAt(session);
            if (boundAt != null && other.boundAfter(boundAt, localId)) {
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
            sharing.shareAgainIfStillBound(event.getKey());
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
     * Asks the other nodes to write their sessions' routes again
     * ({@link SharedSessions#shareAllAgain}), once this node merged back into the cluster it was
     * split from: Hazelcast fills its copy of the replicated map without entry events (its
     * anti-entropy, up to 30 s later), and the entry events are what a node learns the other
     * nodes' sessions from.
     */
    void askOthersToShareAgain() {
        node.send(() -> node.<String>topic(SHARE_AGAIN).publish(localId));
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
                    sharing.writes().remove(key, route.binding());
                }
            });
        });
    }
}
