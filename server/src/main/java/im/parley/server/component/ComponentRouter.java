package im.parley.server.component;

import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * The remote-routing seam with external components in front (XEP-0114): a stanza for a
 * configured component domain goes over that component's stream, or bounces with
 * {@code service-unavailable} while the component is not connected; every other non-local
 * stanza goes on to federation. It decorates the federation router without owning it: the
 * assembly starts and stops that one itself.
 */
public final class ComponentRouter implements RemoteRouter {

    private final ComponentSecrets secrets;
    private final RemoteRouter federation;
    private final Map<DomainBareJid, ComponentStreamHandler> connected = new ConcurrentHashMap<>();
    private volatile StanzaRouter local;

    public ComponentRouter(ComponentSecrets secrets, RemoteRouter federation) {
        this.secrets = secrets;
        this.federation = federation;
    }

    @Override
    public void start(StanzaRouter localRouter) {
        this.local = localRouter;
    }

    @Override
    public void route(Stanza stanza) {
        route(stanza, Handling.none());
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        DomainBareJid domain = stanza.to().asDomainBareJid();
        if (!secrets.isComponent(domain)) {
            federation.route(stanza, handling);
            return;
        }
        ComponentStreamHandler component = connected.get(domain);
        if (component != null) {
            component.deliver(ComponentNamespace.toComponent(stanza.element()));
        } else {
            bounce(stanza);
        }
    }

    /** Closes every component stream. */
    @Override
    public void stop() {
        connected.values().forEach(ComponentStreamHandler::shutDown);
        connected.clear();
    }

    /** True if a component is connected for the domain. */
    public boolean isConnected(DomainBareJid domain) {
        return connected.containsKey(domain);
    }

    ComponentSecrets secrets() {
        return secrets;
    }

    /** Registers an authenticated component; false if one is already connected for the domain. */
    boolean attach(DomainBareJid domain, ComponentStreamHandler stream) {
        return connected.putIfAbsent(domain, stream) == null;
    }

    void detach(DomainBareJid domain, ComponentStreamHandler stream) {
        connected.remove(domain, stream);
    }

    /** Routes a stanza from a component into the server (already in the client namespace). */
    void fromComponent(Stanza stanza) {
        local.route(stanza);
    }

    private void bounce(Stanza stanza) {
        Element element = stanza.element();
        if (stanza.isError() || Stanzas.isIqResponse(element) || stanza.from() == null) {
            return;
        }
        Element reply = Stanzas.errorReply(element, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE));
        Jid to = stanza.to();
        reply.addAttribute("from", to.toString());
        local.route(new Stanza(reply, to, stanza.from()));
    }
}
