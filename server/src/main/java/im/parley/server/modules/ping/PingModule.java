package im.parley.server.modules.ping;

import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.concurrent.CompletableFuture;

/** XMPP Ping (XEP-0199 §4.2, client-to-server ping): the server answers with an empty result. */
public final class PingModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:ping";

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public void load(ModuleContext context) {
        context.handleServerIq(NAMESPACE, iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        context.addServerFeature(NAMESPACE);
    }
}
