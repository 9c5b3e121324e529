package im.parley.s2s;

import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.Objects;

/**
 * The remote router used while server-to-server federation is switched off: every stanza for
 * a remote domain is bounced to its sender with {@code remote-server-not-found} (RFC 6120
 * §8.3.3.15), so nothing is silently dropped. Errors are never answered with errors (§8.3.1).
 */
public final class FederationDisabledRouter implements RemoteRouter {

    private volatile StanzaRouter local;

    @Override
    public void start(StanzaRouter localRouter) {
        this.local = Objects.requireNonNull(localRouter, "localRouter");
    }

    @Override
    public void route(Stanza stanza) {
        StanzaRouter localRouter = local;
        if (localRouter == null) {
            throw new IllegalStateException("remote router not started");
        }
        if (stanza.isError() || stanza.from() == null) {
            return;
        }
        StanzaError error = StanzaError.of(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND,
                "federation with remote domains is disabled on this server");
        localRouter.route(new Stanza(Stanzas.errorReply(stanza.element(), error), stanza.to(), stanza.from()));
    }

    @Override
    public void stop() {
        local = null;
    }
}
