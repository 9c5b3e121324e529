package im.parley.core.routing;

/**
 * The seam through which the server hands stanzas for domains it does not host to federation
 * (RFC 6120 §10.4: "remote domain"). The server never names the federation module; it only
 * calls this interface, which the assembly fills with the s2s implementation or with one that
 * bounces {@code remote-server-not-found} when federation is off.
 */
public interface RemoteRouter {

    /**
     * Starts the remote router. {@code local} is where it delivers stanzas that arrive from
     * remote domains and the error bounces of stanzas it could not deliver.
     */
    void start(StanzaRouter local);

    /**
     * Queues the stanza for the remote domain of its {@code to}. Never silently drops: a stanza
     * that cannot be delivered is bounced to its sender through the local router (unless it is
     * itself an error, RFC 6120 §8.3.1).
     */
    void route(Stanza stanza);

    /**
     * Like {@link #route(Stanza)}; a stanza that has to wait (for the stream to the remote domain
     * to be set up) is tracked in {@code handling} until it is written to that stream or bounced.
     */
    default void route(Stanza stanza, Handling handling) {
        route(stanza);
    }

    /** Closes remote streams and releases resources. */
    void stop();
}
