package im.parley.server.cluster;

import java.io.Serializable;

/**
 * A key of the shared route map: a full JID as bound on one node. Each node writes and removes
 * only its own keys, so a removal that comes late (the end of a session, or of a dead node's
 * sessions) can never take the route another node wrote since for the same full JID: with one
 * key per full JID, such a removal read its node's copy of the map before the other node's
 * write had arrived and then removed that write everywhere, and the stanzas routed to the full
 * JID until the other node wrote it again were lost. Two nodes with a route for the same full
 * JID are a conflict (RFC 6120 §7.7.2.2) that the later binding wins ({@link SessionRoute#boundAfter}).
 *
 * @param jid the full JID, as a string
 * @param node the Hazelcast member id of the node the session is bound on
 */
record RouteKey(String jid, String node) implements Serializable {

    private static final long serialVersionUID = 1L;
}
