package im.parley.server.cluster;

import com.hazelcast.replicatedmap.ReplicatedMap;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node shares of its own sessions in the route map ({@link ClusteredRouteTable#ROUTES}): a
 * route per bound session (its key: full JID and this node, {@link RouteKey}) with the facts the
 * other nodes route by ({@link SessionRoute}), written when one of them changes and removed when
 * the session ends. The session's node keeps the authoritative state (the modules'); this is
 * what it tells the others of it. The other nodes' routes are {@link ClusteredRouteTable}'s.
 */
final class SharedSessions {

    /** Under the route table's name, as before this class was split from it (logging configurations name it). */
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRouteTable.class);

    private final InMemoryRouteTable local;
    private final ClusterNode node;
    private final String localId;
    private final ReplicatedMap<RouteKey, SessionRoute> shared;
    private final RouteWrites writes;
    /** What this node shares of each of its sessions. */
    private final Map<LocalSession, SharedFacts> mine = new ConcurrentHashMap<>();

    SharedSessions(InMemoryRouteTable local, ClusterNode node, ReplicatedMap<RouteKey, SessionRoute> shared) {
        this.local = local;
        this.node = node;
        this.localId = node.localId();
        this.shared = shared;
        this.writes = new RouteWrites(node, shared);
    }

    RouteWrites writes() {
        return writes;
    }

    /** A session just bound here: its route is written (unavailable, no presence yet). */
    void bound(LocalSession session) {
        share(session, null);
    }

    /**
     * A session unbound here: its route is removed, only while it is still this session's: a
     * later session bound under its full JID on this node (RFC 6120 §7.7.2.2) keeps its own
     * ({@link RouteWrites}), and another node's route is under a key of its own.
     */
    void unbound(LocalSession session) {
        mine.remove(session);
        writes.remove(keyOf(session), session.id());
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
     * When this node's session was bound, in the cluster's time, or null if it has not been
     * shared (yet, or any more).
     */
    Long boundAt(LocalSession session) {
        SharedFacts facts = mine.get(session);
        return facts == null ? null : facts.boundAt();
    }

    /**
     * The binding of the session bound here under {@code from}, which a stanza from it forwarded
     * to another node carries ({@link ForwardedStanza.Origin}); null if {@code from} is no session
     * of this node, or one not shared yet.
     */
    ForwardedStanza.Origin originOf(String from) {
        EntityFullJid jid = from == null ? null : StanzaForwarder.fullJidOrNull(from);
        LocalSession session = jid == null ? null : local.find(jid).orElse(null);
        Long boundAt = session == null ? null : boundAt(session);
        return boundAt == null ? null : new ForwardedStanza.Origin(session.id(), boundAt);
    }

    /**
     * Writes again the route of a session still bound here whose entry was removed. Only this
     * node removes its own keys, but for one case: the oldest node removes the keys of a node it
     * takes for dead, and this node may have been taken for dead while it was only cut off or
     * paused, then come back. Without its route the other nodes would take the session for gone
     * and store its messages offline while it is online.
     */
    void shareAgainIfStillBound(RouteKey key) {
        EntityFullJid jid = key.node().equals(localId) ? ClusteredRouteTable.fullJid(key.jid()) : null;
        if (jid == null) {
            return;
        }
        local.find(jid).filter(mine::containsKey).filter(session -> !shared.containsKey(key)).ifPresent(session -> {
            LOG.info("the route of {} was removed while it is bound here: writing it again", jid);
            change(session, facts -> true);
        });
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

    private RouteKey keyOf(LocalSession session) {
        return new RouteKey(session.jid().toString(), localId);
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
}
