package im.parley.core.routing;

/**
 * Routes a stanza whose {@code from} has already been stamped and checked by the session it
 * came from (RFC 6120 §8.1.2.1). Implementations never block the calling thread.
 */
public interface StanzaRouter {

    /** Routes the stanza to its {@code to} (or to the sender's account when {@code to} is absent). */
    void route(Stanza stanza);

    /**
     * Routes the stanza as part of {@code handling}: asynchronous work the routing starts is
     * tracked there, so the caller learns when the stanza's effect is durable.
     */
    default void route(Stanza stanza, Handling handling) {
        route(stanza);
    }
}
