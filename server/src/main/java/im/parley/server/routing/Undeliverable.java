package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;

/**
 * What becomes of a stanza that was already routed to one of an account's sessions when that
 * session can no longer take it (in a cluster: its node died or ended it before the stanza
 * arrived). XEP-0198 §5 and RFC 6121 §8.5.3.2 say to treat it as a stanza for an unavailable
 * resource; the addressee's handlers (filters, archive) ran when it was routed, so they do not
 * run again.
 */
@FunctionalInterface
public interface Undeliverable {

    /** Handles {@code stanza}, addressed to the session that is gone, as part of {@code handling}. */
    void undeliverable(Stanza stanza, Handling handling);
}
