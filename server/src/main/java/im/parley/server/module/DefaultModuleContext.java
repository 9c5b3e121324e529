package im.parley.server.module;

import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jxmpp.jid.DomainBareJid;

/** The {@link ModuleContext} every module gets: registrations go to shared registries. */
public final class DefaultModuleContext implements ModuleContext {

    private final Set<DomainBareJid> domains;
    private final IqHandlers iqHandlers;
    private final StanzaRouter router;
    private final Set<String> serverFeatures = new CopyOnWriteArraySet<>();

    public DefaultModuleContext(Set<DomainBareJid> domains, IqHandlers iqHandlers, StanzaRouter router) {
        this.domains = Set.copyOf(domains);
        this.iqHandlers = iqHandlers;
        this.router = router;
    }

    @Override
    public void handleServerIq(String namespace, IqHandler handler) {
        iqHandlers.registerServer(namespace, handler);
    }

    @Override
    public void handleAccountIq(String namespace, IqHandler handler) {
        iqHandlers.registerAccount(namespace, handler);
    }

    @Override
    public void addServerFeature(String discoFeature) {
        serverFeatures.add(discoFeature);
    }

    /** Features modules announced, for service discovery (XEP-0030). */
    public Set<String> serverFeatures() {
        return Set.copyOf(serverFeatures);
    }

    @Override
    public Set<DomainBareJid> domains() {
        return domains;
    }

    @Override
    public void send(Stanza stanza) {
        router.route(stanza);
    }
}
