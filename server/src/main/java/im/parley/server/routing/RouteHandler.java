package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import org.jxmpp.jid.DomainBareJid;

/**
 * Takes stanzas for domains this server does not host: external components (XEP-0114) and
 * federation (RFC 6120 §10.4). The router asks each handler in order whether it claims the
 * destination domain; a stanza nobody claims is bounced with {@code remote-server-not-found}
 * under the same rules as every other bounce ({@link im.parley.core.routing.Bounces}).
 */
public interface RouteHandler {

    /** True if this handler routes stanzas for {@code domain}. */
    boolean claims(DomainBareJid domain);

    /**
     * Routes the stanza; a stanza that has to wait is tracked in {@code handling} until it is
     * sent or bounced. Never drops silently: what cannot be delivered is bounced to its sender.
     */
    void route(Stanza stanza, Handling handling);
}
