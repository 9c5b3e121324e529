package im.parley.server.event;

import im.parley.server.session.LocalSession;

/** Lifecycle events of local client sessions. */
public final class SessionEvents {

    /** A resource was bound (RFC 6120 §7). */
    public static final EventType<LocalSession> BOUND = EventType.named("session/bound");
    /**
     * A session sent its initial available presence, or became available again after
     * unavailable presence (RFC 6121 §4.2): offline messages are delivered on this (XEP-0160).
     * Fired after the session's availability and priority were updated.
     */
    public static final EventType<LocalSession> AVAILABLE = EventType.named("session/available");
    /** A session sent unavailable presence without closing its stream (RFC 6121 §4.5). */
    public static final EventType<LocalSession> UNAVAILABLE = EventType.named("session/unavailable");
    /** A bound session ended for any reason: closed stream, error, dropped connection. */
    public static final EventType<LocalSession> CLOSED = EventType.named("session/closed");

    private SessionEvents() {
    }
}
