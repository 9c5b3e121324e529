package im.parley.server.modules.session;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.Stanzas;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the legacy session establishment IQ (RFC 3921 §3, kept optional by
 * draft-cridland-xmpp-session-01) with an empty result: RFC 6120 made it a no-op, but clients
 * such as libpurple still send it after binding.
 */
public final class LegacySessionModule implements XmppModule {

    /** Right after resource binding, which it accompanies. */
    public static final int FEATURE_ORDER = C2sFeatures.BIND + 100;

    @Override
    public String name() {
        return "legacy-session";
    }

    @Override
    public void load(ModuleContext context) {
        context.addStreamFeature(FEATURE_ORDER, LegacySessionFeature::new);
        // Clients address it to the domain or leave 'to' out (the account itself): answer both.
        context.handleServerIq(Namespaces.SESSION, iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
        context.handleAccountIq(Namespaces.SESSION, iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
    }
}
