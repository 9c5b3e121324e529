package im.parley.server.component;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.routing.RouteHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.DomainBareJid;

/**
 * The route handler of external components (XEP-0114): it claims the configured component
 * domains; a stanza for one goes over that component's stream, or bounces with
 * {@code service-unavailable} while the component is not connected.
 */
public final class ComponentRouter implements RouteHandler {

    private final ComponentSecrets secrets;
    private final Map<DomainBareJid, ComponentStreamHandler> connected = new ConcurrentHashMap<>();
    private volatile StanzaRouter local;

    public ComponentRouter(ComponentSecrets secrets) {
        this.secrets = secrets;
    }

    /** Starts routing: {@code localRouter} takes the stanzas components send, and bounces. */
    public void start(StanzaRouter localRouter) {
        this.local = localRouter;
    }

    @Override
    public boolean claims(DomainBareJid domain) {
        return secrets.isComponent(domain);
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        DomainBareJid domain = stanza.to().asDomainBareJid();
        ComponentStreamHandler component = connected.get(domain);
        if (component != null) {
            component.deliver(ComponentNamespace.toComponent(stanza.element()));
        } else {
            Bounces.reply(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE).ifPresent(reply -> local.route(reply, handling));
        }
    }

    /** Closes every component stream. */
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
}
