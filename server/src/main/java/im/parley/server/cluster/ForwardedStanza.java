package im.parley.server.cluster;

import java.io.Serializable;

/**
 * A stanza one node hands to the node a session is connected to, after its own routing decided
 * it goes to that session: the receiving node delivers it, or routes it again if the session is
 * gone (RFC 6121 §8.5.3.2).
 *
 * @param to the full JID of the session
 * @param xml the stanza, serialized once on the sending node
 */
record ForwardedStanza(String to, String xml) implements Serializable {

    private static final long serialVersionUID = 1L;
}
