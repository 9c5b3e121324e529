package im.parley.server.modules.ping;

import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.concurrent.CompletableFuture;

/**
 * XMPP Ping (XEP-0199 §4.2, client-to-server ping): the server answers with an empty result, to
 * a ping of its domain and to one of an account's bare JID or without {@code to}, which it
 * answers on the account's behalf (RFC 6120 §10.3.3), as Prosody and ejabberd do.
 */
public final class PingModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:ping";

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public void load(ModuleContext context) {
        context.handleServerIq(NAMESPACE, iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        context.handleAccountIq(NAMESPACE, iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        context.addServerFeature(NAMESPACE);
    }
}
