package im.parley.server.cluster;

import java.io.Serializable;
import java.util.List;

/**
 * Where a bound session lives in a cluster, and what the other nodes need to route to it without
 * asking: its node, its binding (the session's stream id: a rebinding of the same full JID is
 * another binding), its broadcast presence (RFC 6121 §4.7.2.3 priority; the last available
 * presence answers probes, §4.3.2), whether it gets roster pushes (§2.1.6), whom it sent
 * directed presence to (§4.6.2), whether it enabled Message Carbons (XEP-0280 §4) and whether it
 * gets block-list pushes (XEP-0191 §3.2). Shared by every node in the route map.
 *
 * @param node the Hazelcast member id of the node the client is connected to
 * @param binding the session's stream id
 * @param available true once the client sent available presence (RFC 6121 §4.2)
 * @param priority the resource's presence priority
 * @param presence the last available presence as XML, or null while unavailable
 * @param rosterRequested true once the client requested the roster (an interested resource, RFC 6121 §2.1.2)
 * @param directedTo the JIDs the client sent directed available presence to while available
 *     (RFC 6121 §4.6.2): they get its unavailable presence when it ends (§4.6.3)
 * @param carbons true while the client has carbons enabled (XEP-0280 §4, until disabled, §5): it
 *     gets copies of its account's messages routed on any node (§6, §7)
 * @param blockListRequested true once the client retrieved its block list (XEP-0191 §3.2): it gets
 *     the pushes of a block or unblock made through any node (§3.3, §3.4)
 * @param boundAt when the session was bound, in the cluster's time (milliseconds): of two
 *     sessions bound under one full JID on two nodes, the later one stays (RFC 6120 §7.7.2.2)
 */
record SessionRoute(String node, String binding, boolean available, int priority, String presence,
                    boolean rosterRequested, List<String> directedTo, boolean carbons,
                    boolean blockListRequested, long boundAt) implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * A session known by its node and binding only, from a stanza it sent
     * ({@link ClusteredRouteTable#learnOrigin}) before its route arrived: unavailable, no
     * presence, nothing shared, until its route replaces it.
     */
    static SessionRoute boundOnly(String node, String binding, long boundAt) {
        return new SessionRoute(node, binding, false, 0, null, false, List.of(), false, false, boundAt);
    }

    /**
     * True if this route's session was bound after the one bound at {@code otherBoundAt} on the
     * node {@code otherNode}: the later time, or at the same millisecond the greater node id, so
     * that every node picks the same one of two conflicting bindings.
     */
    boolean boundAfter(long otherBoundAt, String otherNode) {
        return boundAt != otherBoundAt ? boundAt > otherBoundAt : node.compareTo(otherNode) > 0;
    }

    /**
     * A route a node of an earlier version wrote has no {@code directedTo}, {@code carbons} or
     * {@code blockListRequested} (Java serialization of a record leaves a component it did not
     * write at its default, ignores one it does not know, and does not compare the
     * serialVersionUID): no recipients, carbons off and no block-list pushes then, so that nodes of
     * both versions run together during a rolling upgrade. So a new component's default
     * (false, 0, null) must mean "nothing shared".
     */
    SessionRoute {
        directedTo = directedTo == null ? List.of() : List.copyOf(directedTo);
    }
}
