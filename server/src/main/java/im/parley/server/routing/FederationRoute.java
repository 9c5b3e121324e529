package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import org.jxmpp.jid.DomainBareJid;

/**
 * Federation as the last route handler: once {@linkplain #open opened}, it claims every domain
 * the server does not host. The s2s router is built after storage is open (in a cluster the
 * dialback secret is in the shared database); until then this claims no domain, and the router
 * bounces a stanza for a remote domain with {@code remote-server-not-found} (RFC 6120 §10.4.3)
 * rather than holding or dropping it.
 */
public final class FederationRoute implements RouteHandler {

    private volatile RemoteRouter federation;

    /** Hands the stanzas for remote domains to {@code started}, a remote router already started. */
    public void open(RemoteRouter started) {
        this.federation = started;
    }

    @Override
    public boolean claims(DomainBareJid domain) {
        return federation != null;
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        federation.route(stanza, handling);
    }
}
