package im.parley.server.session;

import im.parley.core.session.StreamSession;
import org.jxmpp.jid.EntityFullJid;

/**
 * A client session bound to a full JID on this server (RFC 6120 §7), whatever its transport.
 */
public interface LocalSession extends StreamSession {

    /** The bound full JID. */
    EntityFullJid jid();

    /** Presence priority of the resource (RFC 6121 §4.7.2.3); 0 until presence says otherwise. */
    int priority();

    /** True once the client has sent available presence (RFC 6121 §4.2), false after unavailable. */
    boolean isAvailable();

    /** Records the client's own broadcast presence: availability and priority (RFC 6121 §4.7.2.3). */
    void updatePresence(boolean available, int priority);
}
