package im.parley.server.event;

import im.parley.server.session.LocalSession;

/** Lifecycle events of local client sessions. */
public final class SessionEvents {

    /** A resource was bound (RFC 6120 §7). */
    public static final EventType<LocalSession> BOUND = EventType.named("session/bound");
    /** A bound session ended for any reason: closed stream, error, dropped connection. */
    public static final EventType<LocalSession> CLOSED = EventType.named("session/closed");

    private SessionEvents() {
    }
}
