package im.parley.server.cluster;

import java.io.Serializable;
import java.util.List;

/**
 * Where a bound session lives in a cluster, and what the other nodes need to route to it without
 * asking: its node, its binding (the session's stream id: a rebinding of the same full JID is
 * another binding), its broadcast presence (RFC 6121 §4.7.2.3 priority; the last available
 * presence answers probes, §4.3.2), whether it gets roster pushes (§2.1.6) and whom it sent
 * directed presence to (§4.6.2). Shared by every node in the route map.
 *
 * @param node the Hazelcast member id of the node the client is connected to
 * @param binding the session's stream id
 * @param available true once the client sent available presence (RFC 6121 §4.2)
 * @param priority the resource's presence priority
 * @param presence the last available presence as XML, or null while unavailable
 * @param rosterRequested true once the client requested the roster (an interested resource, RFC 6121 §2.1.2)
 * @param directedTo the JIDs the client sent directed available presence to while available
 *     (RFC 6121 §4.6.2): they get its unavailable presence when it ends (§4.6.3)
 */
record SessionRoute(String node, String binding, boolean available, int priority, String presence,
                    boolean rosterRequested, List<String> directedTo) implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * A route a node of an earlier version wrote has no {@code directedTo} (Java serialization
     * of a record leaves a component it did not write at its default and does not compare the
     * serialVersionUID): none then, so that nodes of both versions run together during a rolling
     * upgrade.
     */
    SessionRoute {
        directedTo = directedTo == null ? List.of() : List.copyOf(directedTo);
    }
}
