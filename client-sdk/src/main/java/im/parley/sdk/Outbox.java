package im.parley.sdk;

import java.util.ArrayDeque;
import java.util.Queue;
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
    /** The user's status (RFC 6121 §4.2), kept to be restored on a new session. */
    private Presence ownPresence;
    /** Whether {@link #ownPresence} changed while no session could carry it. */
    private boolean presenceWaiting;

    void queue(Message message) {
        messages.add(message);
    }

    /** The user's status changed; until {@link #presenceSent} it waits for a session. */
    void rememberPresence(Presence presence) {
        ownPresence = presence;
        presenceWaiting = true;
    }

    /** The remembered status went out. */
    void presenceSent() {
        presenceWaiting = false;
    }

    /**
     * The initial presence of a new session (RFC 6121 §4.2.1): the user's status, or
     * {@code available} if none was set. Sending it sends any change that waited.
     */
    Presence initialPresence(Presence available) {
        presenceWaiting = false;
        return ownPresence != null ? ownPresence : available;
    }

    /** Sends a stanza over the current session; it throws when that session has broken. */
    @FunctionalInterface
    interface Sender {
        void send(Stanza stanza) throws SmackException.NotConnectedException, InterruptedException;
    }

    /**
     * Sends what waited, oldest first: a status changed meanwhile first, then the messages. When
     * the session breaks again midway, the rest stays queued, in order, for the next session.
     */
    void flush(Sender sender) {
        if (presenceWaiting) {
            if (!sent(sender, ownPresence)) {
                return;
            }
            presenceWaiting = false;
        }
        Message waiting;
        while ((waiting = messages.peek()) != null) {
            if (!sent(sender, waiting)) {
                return;
            }
            messages.remove();
        }
    }

    /** Queued messages not yet sent. */
    int waiting() {
        return messages.size();
    }

    private static boolean sent(Sender sender, Stanza stanza) {
        try {
            sender.send(stanza);
            return true;
        } catch (SmackException.NotConnectedException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
