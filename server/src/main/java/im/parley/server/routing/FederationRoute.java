package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import org.jxmpp.jid.DomainBareJid;

/** Federation as the last route handler: it claims every domain the server does not host. */
public final class FederationRoute implements RouteHandler {

    private final RemoteRouter federation;

    public FederationRoute(RemoteRouter federation) {
        this.federation = federation;
    }

    @Override
    public boolean claims(DomainBareJid domain) {
        return true;
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        federation.route(stanza, handling);
    }
}
