package im.parley.sdk;

/** What happened to a {@link ChatClient}'s connection; see {@link ChatClient#onConnectionEvent}. */
public enum ConnectionEvent {
    /** Logged in with a new session (the first time, or after a reconnection without resumption). */
    LOGGED_IN,
    /**
     * Reconnected and resumed the previous session (XEP-0198 §5): nothing sent or received in
     * between was lost.
     */
    RESUMED,
    /** The connection broke; the client reconnects if {@link Reconnect} allows. */
    CONNECTION_LOST,
    /** The client stopped: closed by the app, or the server ended the session for good. */
    CLOSED
}
