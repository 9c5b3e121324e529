package im.parley.server.routing;

import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.EventBus;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents;
import im.parley.server.module.IqHandler;
import im.parley.server.module.IqHandlers;
import im.parley.server.session.LocalSession;
import im.parley.server.session.SessionRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes stanzas between local sessions, the server's own handlers and the remote router
 * (RFC 6120 §10, delivery rules of RFC 6121 §8.5). Never blocks: IQ handlers that need storage
 * complete asynchronously.
 */
public final class DefaultStanzaRouter implements StanzaRouter {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStanzaRouter.class);

    private final Set<DomainBareJid> domains;
    private final SessionRegistry sessions;
    private final IqHandlers iqHandlers;
    private final RemoteRouter remote;
    private final EventBus events;

    public DefaultStanzaRouter(Set<DomainBareJid> domains, SessionRegistry sessions, IqHandlers iqHandlers,
                               RemoteRouter remote, EventBus events) {
        this.domains = Set.copyOf(domains);
        this.sessions = sessions;
        this.iqHandlers = iqHandlers;
        this.remote = remote;
        this.events = events;
    }

    /**
     * Entry point for stanzas from a local client: records the client's own presence, lets
     * modules act on the outbound stanza ({@link StanzaEvents#OUTBOUND}), then routes it.
     */
    public void routeFromClient(Stanza stanza, LocalSession origin) {
        boolean wasAvailable = origin.isAvailable();
        if (stanza.isPresence() && stanza.to() == null) {
            trackOwnPresence(stanza, origin);
        }
        if (!events.fire(StanzaEvents.OUTBOUND, new StanzaEvents.Outbound(stanza, origin))) {
            route(stanza);
        }
        if (!wasAvailable && origin.isAvailable()) {
            events.fire(SessionEvents.AVAILABLE, origin);
        } else if (wasAvailable && !origin.isAvailable()) {
            events.fire(SessionEvents.UNAVAILABLE, origin);
        }
    }

    private static void trackOwnPresence(Stanza presence, LocalSession origin) {
        String type = presence.type();
        if (type == null) {
            origin.updatePresence(true, priorityOf(presence.element()));
        } else if ("unavailable".equals(type)) {
            origin.updatePresence(false, 0);
        }
    }

    /** RFC 6121 §4.7.2.3: an integer from -128 to +127; absent or invalid means zero. */
    static int priorityOf(Element presence) {
        String text = presence.elementTextTrim("priority");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(-128, Math.min(127, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean isLocal(DomainBareJid domain) {
        return domains.contains(domain);
    }

    @Override
    public void route(Stanza stanza) {
        Jid to = stanza.to();
        if (to == null) {
            routeToOwnAccount(stanza);
            return;
        }
        if (!isLocal(to.asDomainBareJid())) {
            remote.route(stanza);
            return;
        }
        EntityBareJid bare = to.asEntityBareJidIfPossible();
        if (bare == null) {
            routeToServer(stanza);
        } else if (to.hasResource()) {
            routeToFullJid(stanza, to.asEntityFullJidIfPossible());
        } else {
            routeToBareJid(stanza, bare);
        }
    }

    /** RFC 6120 §10.3: no {@code to} means the stanza is for the sender's own account. */
    private void routeToOwnAccount(Stanza stanza) {
        Jid from = stanza.from();
        if (from == null || from.asEntityBareJidIfPossible() == null) {
            LOG.debug("dropping stanza without to and without an account sender: {}", stanza.element().asXML());
            return;
        }
        if (stanza.isIq()) {
            handleAccountIq(stanza);
        } else if (stanza.isMessage()) {
            routeToBareJid(stanza, from.asEntityBareJidIfPossible());
        }
        // Presence without 'to' is the sender's broadcast (RFC 6121 §4.2.2); the session
        // records availability and priority before routing, so nothing more happens here.
    }

    /** RFC 6120 §10.3 (to a domainpart-only JID): the server itself. */
    private void routeToServer(Stanza stanza) {
        if (stanza.isIq()) {
            if (isRequest(stanza)) {
                dispatchIq(stanza, payloadNamespace(stanza).flatMap(iqHandlers::forServer));
            }
            return;
        }
        if (stanza.isMessage() && !stanza.isError()) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
    }

    /** RFC 6121 §8.5.2: to a bare JID of a local account. */
    private void routeToBareJid(Stanza stanza, EntityBareJid bare) {
        if (stanza.isIq()) {
            // IQs from others to the account (vCard lookups, ...) pass the inbound filters
            // (blocking) first; an account's IQs to itself do not.
            boolean ownAccount = stanza.from() != null && bare.equals(stanza.from().asBareJid());
            if (ownAccount || !fireInbound(stanza)) {
                handleAccountIq(stanza);
            }
            return;
        }
        if (fireInbound(stanza)) {
            return;
        }
        List<LocalSession> resources = sessions.sessionsOf(bare);
        if (stanza.isMessage()) {
            deliverMessageToBareJid(stanza, resources);
        } else if (stanza.isPresence()) {
            // RFC 6121 §8.5.2.1.2: presence goes to every available resource.
            for (LocalSession session : resources) {
                if (session.isAvailable()) {
                    session.deliver(stanza.element());
                }
            }
        }
    }

    /** RFC 6121 §8.5.2.1.1 and §8.5.2.2.1. */
    private void deliverMessageToBareJid(Stanza stanza, List<LocalSession> resources) {
        String type = stanza.type() == null ? "normal" : stanza.type();
        int best = Integer.MIN_VALUE;
        for (LocalSession session : resources) {
            if (session.isAvailable() && session.priority() >= 0) {
                best = Math.max(best, session.priority());
            }
        }
        if (best == Integer.MIN_VALUE) {
            // No available resource with non-negative priority: offline storage may take it;
            // otherwise the sender learns that the message was not delivered.
            if (!"groupchat".equals(type) && events.fire(StanzaEvents.MESSAGE_OFFLINE, new StanzaEvents.Inbound(stanza))) {
                return;
            }
            switch (type) {
                case "headline", "error" -> LOG.debug("dropping {} message for unavailable account", type);
                default -> bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            }
            return;
        }
        if ("groupchat".equals(type)) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            return;
        }
        for (LocalSession session : resources) {
            if (session.isAvailable() && session.priority() == best) {
                session.deliver(stanza.element());
            }
        }
    }

    /** RFC 6121 §8.5.3: to a full JID. */
    private void routeToFullJid(Stanza stanza, EntityFullJid full) {
        Optional<LocalSession> session = sessions.find(full);
        if (session.isPresent()) {
            if (fireInbound(stanza)) {
                return;
            }
            session.get().deliver(stanza.element());
            return;
        }
        if (stanza.isMessage()) {
            String type = stanza.type() == null ? "normal" : stanza.type();
            switch (type) {
                case "normal", "chat" -> routeToBareJid(stanza, full.asEntityBareJid());
                case "groupchat" -> bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
                default -> LOG.debug("dropping {} message for offline resource {}", type, full);
            }
        } else if (stanza.isIq() && isRequest(stanza)) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        } else if (stanza.isPresence() && stanza.type() != null && !"unavailable".equals(stanza.type())
                && !stanza.isError()) {
            // RFC 6121 §8.5.3.2.3: subscription stanzas and probes to a full JID without a
            // session are handled as if addressed to the bare JID.
            routeToBareJid(stanza, full.asEntityBareJid());
        }
    }

    /** Lets modules act on a stanza for a local account before default delivery. */
    private boolean fireInbound(Stanza stanza) {
        StanzaEvents.Inbound event = new StanzaEvents.Inbound(stanza);
        if (stanza.isMessage()) {
            return events.fire(StanzaEvents.MESSAGE_INBOUND, event);
        }
        if (stanza.isPresence()) {
            return events.fire(StanzaEvents.PRESENCE_INBOUND, event);
        }
        return events.fire(StanzaEvents.IQ_INBOUND, event);
    }

    private void handleAccountIq(Stanza stanza) {
        if (isRequest(stanza)) {
            dispatchIq(stanza, payloadNamespace(stanza).flatMap(iqHandlers::forAccount));
        }
    }

    private void dispatchIq(Stanza iq, Optional<IqHandler> handler) {
        if (iq.element().elements().size() != 1) {
            // RFC 6120 §8.2.3: a get or set request contains exactly one payload child.
            bounce(iq, StanzaErrorCondition.BAD_REQUEST);
            return;
        }
        if (handler.isEmpty()) {
            bounce(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            return;
        }
        handler.get().handle(iq).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.warn("IQ handler failed on {}", iq.element().asXML(), failure);
                bounce(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR);
            } else if (response != null) {
                route(new Stanza(response, iq.to() == null ? iq.from().asBareJid() : iq.to(), iq.from()));
            }
        });
    }

    /**
     * Sends the error reply to the sender (RFC 6120 §8.3.1). Errors and IQ responses are never
     * answered with an error (§8.3.1, §8.2.3).
     */
    private void bounce(Stanza stanza, StanzaErrorCondition condition) {
        if (stanza.isError() || Stanzas.isIqResponse(stanza.element()) || stanza.from() == null) {
            return;
        }
        Element reply = Stanzas.errorReply(stanza.element(), StanzaError.of(condition));
        Jid replyFrom = stanza.to() == null ? stanza.from().asBareJid() : stanza.to();
        reply.addAttribute("from", replyFrom.toString());
        route(new Stanza(reply, replyFrom, stanza.from()));
    }

    private static boolean isRequest(Stanza iq) {
        String type = iq.type();
        return "get".equals(type) || "set".equals(type);
    }

    /** The namespace of the single payload child of an IQ request (RFC 6120 §8.2.3). */
    private static Optional<String> payloadNamespace(Stanza iq) {
        List<Element> children = iq.element().elements();
        if (children.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(children.get(0).getNamespaceURI());
    }
}
