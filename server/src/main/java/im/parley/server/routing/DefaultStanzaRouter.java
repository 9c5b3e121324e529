package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.AccountWork;
import im.parley.server.event.EventBus;
import im.parley.server.event.EventType;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.IqHandler;
import im.parley.server.module.IqHandlers;
import im.parley.server.session.LocalSession;
import im.parley.server.session.SessionRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
 *
 * <p>In-order processing (RFC 6120 §10.1) across those asynchronous steps: every stanza for a
 * local account, and every stanza its clients send, has a turn among the account's stanzas
 * ({@link AccountStep} in the {@link AccountSequencer}). Work a module continues asynchronously
 * for the stanza (offline storage, a roster change, an IQ handler, loading a block list) is part
 * of the turn ({@link AccountWork}), and the account's next stanza waits until the turn is over.
 * A stanza for an idle account is routed at once on the caller's thread and takes a turn only if
 * it defers work. Each stanza's asynchronous work, wherever it runs, is tracked in its
 * {@link Handling}.
 */
public final class DefaultStanzaRouter implements StanzaRouter {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStanzaRouter.class);

    private final Set<DomainBareJid> domains;
    private final SessionRegistry sessions;
    private final IqHandlers iqHandlers;
    private final RemoteRouter remote;
    private final EventBus events;
    private final AccountSequencer sequencer;

    public DefaultStanzaRouter(Set<DomainBareJid> domains, SessionRegistry sessions, IqHandlers iqHandlers,
                               RemoteRouter remote, EventBus events, AccountSequencer sequencer) {
        this.domains = Set.copyOf(domains);
        this.sessions = sessions;
        this.iqHandlers = iqHandlers;
        this.remote = remote;
        this.events = events;
        this.sequencer = sequencer;
    }

    /**
     * Entry point for stanzas from a local client: records the client's own presence, lets
     * modules act on the outbound stanza ({@link StanzaEvents#OUTBOUND}), then routes it. Waits
     * behind the account's steps in flight (RFC 6120 §10.1), e.g. the subscription request the
     * client sent just before, which is being stored.
     */
    public void routeFromClient(Stanza stanza, LocalSession origin, Handling handling) {
        inTurn(origin.jid().asEntityBareJid(), handling, step -> processFromClient(stanza, origin, handling, step));
    }

    private void processFromClient(Stanza stanza, LocalSession origin, Handling handling, AccountStep step) {
        boolean wasAvailable = origin.isAvailable();
        if (stanza.isPresence() && stanza.to() == null) {
            trackOwnPresence(stanza, origin);
        }
        events.fire(StanzaEvents.OUTBOUND, new StanzaEvents.Outbound(stanza, origin, handling, step),
                () -> route(stanza, handling, step));
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
        route(stanza, Handling.none());
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        route(stanza, handling, null);
    }

    /**
     * Routes in the turn of the account the stanza is for. {@code current} is the turn of the
     * client stanza being routed, if any: a client's stanza to its own account stays in it.
     */
    private void route(Stanza stanza, Handling handling, AccountStep current) {
        Jid to = stanza.to();
        if (to != null && !isLocal(to.asDomainBareJid())) {
            remote.route(stanza, handling);
            return;
        }
        // RFC 6120 §10.3: without 'to' the stanza is for the sender's own account.
        Jid addressee = to != null ? to : stanza.from();
        EntityBareJid account = addressee == null ? null : addressee.asEntityBareJidIfPossible();
        if (account == null) {
            routeLocally(stanza, handling, AccountWork.NONE);
        } else if (current != null && current.account().equals(account)) {
            routeLocally(stanza, handling, current);
        } else if (stanza.isIq() && isBoundResource(to)) {
            // IQs to a connected resource (answers to its requests, roster and block list
            // pushes) do not wait behind the account's other stanzas: often the account's own
            // turn sends them, and its client expects them before what comes next.
            AccountStep step = AccountStep.inline(sequencer, account, handling);
            routeLocally(stanza, handling, step);
            step.finish();
        } else {
            inTurn(account, handling, step -> routeLocally(stanza, handling, step));
        }
    }

    private boolean isBoundResource(Jid to) {
        EntityFullJid full = to == null ? null : to.asEntityFullJidIfPossible();
        return full != null && sessions.find(full).isPresent();
    }

    /**
     * Runs {@code routing} in a turn of {@code account}: behind the account's work in flight,
     * or at once if there is none (RFC 6120 §10.1).
     */
    private void inTurn(EntityBareJid account, Handling handling, Consumer<AccountStep> routing) {
        if (sequencer.isBusy(account)) {
            handling.track(sequencer.serially(account, () -> {
                AccountStep step = AccountStep.running(sequencer, account, handling);
                routing.accept(step);
                return step.finish();
            }));
        } else {
            AccountStep step = AccountStep.inline(sequencer, account, handling);
            routing.accept(step);
            step.finish();
        }
    }

    private void routeLocally(Stanza stanza, Handling handling, AccountWork work) {
        Jid to = stanza.to();
        if (to == null) {
            routeToOwnAccount(stanza, handling, work);
            return;
        }
        EntityBareJid bare = to.asEntityBareJidIfPossible();
        if (bare == null) {
            routeToServer(stanza, handling);
        } else if (to.hasResource()) {
            routeToFullJid(stanza, to.asEntityFullJidIfPossible(), handling, work);
        } else {
            routeToBareJid(stanza, bare, handling, work);
        }
    }

    /** RFC 6120 §10.3: no {@code to} means the stanza is for the sender's own account. */
    private void routeToOwnAccount(Stanza stanza, Handling handling, AccountWork work) {
        Jid from = stanza.from();
        if (from == null || from.asEntityBareJidIfPossible() == null) {
            LOG.debug("dropping stanza without to and without an account sender: {}", stanza.element().asXML());
            return;
        }
        if (stanza.isIq()) {
            handleAccountIq(stanza, handling, work);
        } else if (stanza.isMessage()) {
            routeToBareJid(stanza, from.asEntityBareJidIfPossible(), handling, work);
        }
        // Presence without 'to' is the sender's broadcast (RFC 6121 §4.2.2); the session
        // records availability and priority before routing, so nothing more happens here.
    }

    /** RFC 6120 §10.3 (to a domainpart-only JID): the server itself. */
    private void routeToServer(Stanza stanza, Handling handling) {
        if (stanza.isIq()) {
            if (isRequest(stanza)) {
                dispatchIq(stanza, payloadNamespace(stanza).flatMap(iqHandlers::forServer), handling, AccountWork.NONE);
            }
            return;
        }
        if (stanza.isMessage() && !stanza.isError()) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
        }
    }

    /** RFC 6121 §8.5.2: to a bare JID of a local account. */
    private void routeToBareJid(Stanza stanza, EntityBareJid bare, Handling handling, AccountWork work) {
        if (stanza.isIq()) {
            // IQs from others to the account (vCard lookups, ...) pass the inbound filters
            // (blocking) first; an account's IQs to itself do not.
            boolean ownAccount = stanza.from() != null && bare.equals(stanza.from().asBareJid());
            if (ownAccount) {
                handleAccountIq(stanza, handling, work);
            } else {
                fireInbound(stanza, handling, work, () -> handleAccountIq(stanza, handling, work));
            }
            return;
        }
        fireInbound(stanza, handling, work, () -> {
            List<LocalSession> resources = sessions.sessionsOf(bare);
            if (stanza.isMessage()) {
                deliverMessageToBareJid(stanza, resources, handling, work);
            } else if (stanza.isPresence()) {
                // RFC 6121 §8.5.2.1.2: presence goes to every available resource.
                for (LocalSession session : resources) {
                    if (session.isAvailable()) {
                        session.deliver(stanza.element());
                    }
                }
            }
        });
    }

    /** RFC 6121 §8.5.2.1.1 and §8.5.2.2.1. */
    private void deliverMessageToBareJid(Stanza stanza, List<LocalSession> resources, Handling handling,
                                         AccountWork work) {
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
            Runnable undeliverable = () -> {
                switch (type) {
                    case "headline", "error" -> LOG.debug("dropping {} message for unavailable account", type);
                    default -> bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
                }
            };
            if ("groupchat".equals(type)) {
                undeliverable.run();
            } else {
                events.fire(StanzaEvents.MESSAGE_OFFLINE, new StanzaEvents.Inbound(stanza, handling, work), undeliverable);
            }
            return;
        }
        if ("groupchat".equals(type)) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
            return;
        }
        for (LocalSession session : resources) {
            if (session.isAvailable() && session.priority() == best) {
                session.deliver(stanza.element());
            }
        }
    }

    /** RFC 6121 §8.5.3: to a full JID. */
    private void routeToFullJid(Stanza stanza, EntityFullJid full, Handling handling, AccountWork work) {
        Optional<LocalSession> session = sessions.find(full);
        if (session.isPresent()) {
            fireInbound(stanza, handling, work, () -> session.get().deliver(stanza.element()));
            return;
        }
        if (stanza.isMessage()) {
            String type = stanza.type() == null ? "normal" : stanza.type();
            switch (type) {
                case "normal", "chat" -> routeToBareJid(stanza, full.asEntityBareJid(), handling, work);
                case "groupchat" -> bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
                default -> LOG.debug("dropping {} message for offline resource {}", type, full);
            }
        } else if (stanza.isIq() && isRequest(stanza)) {
            bounce(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
        } else if (stanza.isPresence() && stanza.type() != null && !"unavailable".equals(stanza.type())
                && !stanza.isError()) {
            // RFC 6121 §8.5.3.2.3: subscription stanzas and probes to a full JID without a
            // session are handled as if addressed to the bare JID.
            routeToBareJid(stanza, full.asEntityBareJid(), handling, work);
        }
    }

    /**
     * Lets modules act on a stanza for a local account; {@code delivery} (the default) runs if
     * none of them handles it, possibly later, when a module that suspended it resumes it.
     */
    private void fireInbound(Stanza stanza, Handling handling, AccountWork work, Runnable delivery) {
        StanzaEvents.Inbound event = new StanzaEvents.Inbound(stanza, handling, work);
        EventType<StanzaEvents.Inbound> type = stanza.isMessage() ? StanzaEvents.MESSAGE_INBOUND
                : stanza.isPresence() ? StanzaEvents.PRESENCE_INBOUND : StanzaEvents.IQ_INBOUND;
        events.fire(type, event, delivery);
    }

    private void handleAccountIq(Stanza stanza, Handling handling, AccountWork work) {
        if (isRequest(stanza)) {
            dispatchIq(stanza, payloadNamespace(stanza).flatMap(iqHandlers::forAccount), handling, work);
        }
    }

    /**
     * The handler's work is part of the account's turn ({@link IqHandler#handle(Stanza,
     * AccountWork)}), and the routing of its answer part of the request's handling.
     */
    private void dispatchIq(Stanza iq, Optional<IqHandler> handler, Handling handling, AccountWork work) {
        if (iq.element().elements().size() != 1) {
            // RFC 6120 §8.2.3: a get or set request contains exactly one payload child.
            bounce(iq, StanzaErrorCondition.BAD_REQUEST, handling);
            return;
        }
        if (handler.isEmpty()) {
            bounce(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, handling);
            return;
        }
        handling.track(handler.get().handle(iq, work).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.warn("IQ handler failed on {}", iq.element().asXML(), failure);
                bounce(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR, handling);
            } else if (response != null) {
                route(new Stanza(response, iq.to() == null ? iq.from().asBareJid() : iq.to(), iq.from()), handling);
            }
        }));
    }

    /**
     * Sends the error reply to the sender (RFC 6120 §8.3.1). Errors and IQ responses are never
     * answered with an error (§8.3.1, §8.2.3).
     */
    private void bounce(Stanza stanza, StanzaErrorCondition condition, Handling handling) {
        if (stanza.isError() || Stanzas.isIqResponse(stanza.element()) || stanza.from() == null) {
            return;
        }
        Element reply = Stanzas.errorReply(stanza.element(), StanzaError.of(condition));
        Jid replyFrom = stanza.to() == null ? stanza.from().asBareJid() : stanza.to();
        reply.addAttribute("from", replyFrom.toString());
        route(new Stanza(reply, replyFrom, stanza.from()), handling);
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
