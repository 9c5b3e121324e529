package im.parley.server.cluster;

import java.io.Serializable;

/**
 * A stanza one node hands to the node a session is connected to, after its own routing decided
 * it goes to that session: the receiving node delivers it and confirms it
 * ({@link ForwardConfirmation}), or handles it as for an unavailable resource if the session is
 * gone (RFC 6121 §8.5.3.2). Or, on the topic of its own ({@link StanzaForwarder#HOMED}), a stanza
 * for an entity whose home the receiving node is (a room, {@link ClusterHomes}): that node routes
 * it and confirms it once the work its routing started is done.
 *
 * @param sender the Hazelcast member id of the sending node, where the confirmation goes
 * @param sequence the sending node's number for it, which the confirmation names
 * @param deadline cluster time (ms) after which the sender no longer waits for the confirmation
 *     and has handled the stanza itself: the receiver then drops it, so that it is not also
 *     delivered
 * @param to the full JID of the session, or the address of the entity (a room or occupant JID)
 * @param xml the stanza, serialized once on the sending node
 * @param origin the binding of the session the stanza comes from, when that session is bound on
 *     the sending node; null otherwise, and from nodes of earlier versions (Java serialization of
 *     a record leaves a component it did not write at null)
 */
record ForwardedStanza(String sender, long sequence, long deadline, String to, String xml, Origin origin)
        implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * The session a forwarded stanza comes from, as its node binds it: the receiving node learns
     * the session from it when the route map has not brought it there yet (a client that sends
     * right after binding; its answers must find it), see {@link ClusteredRouteTable#learnOrigin}.
     *
     * @param binding the session's stream id ({@link SessionRoute#binding})
     * @param boundAt when it was bound, in the cluster's time ({@link SessionRoute#boundAt})
     */
    record Origin(String binding, long boundAt) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
