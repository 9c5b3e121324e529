package im.parley.server.routing;

import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
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

    public DefaultStanzaRouter(Set<DomainBareJid> domains, SessionRegistry sessions, IqHandlers iqHandlers,
                               RemoteRouter remote) {
        this.domains = Set.copyOf(domains);
        this.sessions = sessions;
        this.iqHandlers = iqHandlers;
        this.remote = remote;
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
            handleAccountIq(stanza);
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
            // No available resource with non-negative priority. Offline storage comes as a
            // module; until then the sender learns the message was not delivered.
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
        }
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
