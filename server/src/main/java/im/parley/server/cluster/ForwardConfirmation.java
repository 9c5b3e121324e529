package im.parley.server.cluster;

import java.io.Serializable;

/**
 * A node's word to another that stanzas it forwarded were handled: written to their sessions, or
 * handled as for an unavailable resource (stored offline) once that work completed. Confirmations
 * to one node travel together when they pile up.
 *
 * @param sequences the sender's numbers of the stanzas ({@link ForwardedStanza#sequence()})
 */
record ForwardConfirmation(long[] sequences) implements Serializable {

    private static final long serialVersionUID = 1L;
}
