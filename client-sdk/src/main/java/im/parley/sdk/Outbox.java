package im.parley.sdk;

import java.util.ArrayDeque;
import java.util.Queue;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;

/**
 * What a {@link ChatClient} must send once its session is back: the messages sent while it was
 * reconnecting, in order, and the user's own presence. Callers hold this object's monitor, which
 * also guards the client's online/reconnecting state, so nothing slips between the two.
 */
final class Outbox {

    private final Queue<Message> messages = new ArrayDeque<>();
    private Presence ownPresence;

    void queue(Message message) {
        messages.add(message);
    }

    /** The user's status (RFC 6121 §4.2), kept to be restored on a new session. */
    void rememberPresence(Presence presence) {
        ownPresence = presence;
    }

    /** Sends what waited, oldest first; after a reconnection, the user's status first. */
    void flush(AbstractXMPPConnection connection, boolean afterReconnect) {
        if (afterReconnect && ownPresence != null) {
            // A new session starts with plain "available" (sent by Smack), and the status may
            // have changed while reconnecting: (re)send the user's status.
            sendQuietly(connection, ownPresence);
        }
        Message waiting;
        while ((waiting = messages.poll()) != null) {
            sendQuietly(connection, waiting);
        }
    }

    private void sendQuietly(AbstractXMPPConnection connection, Stanza stanza) {
        try {
            connection.sendStanza(stanza);
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            // The connection broke again: queue it back so the next reconnection sends it.
            if (stanza instanceof Message message) {
                messages.add(message);
            }
        }
    }
}
