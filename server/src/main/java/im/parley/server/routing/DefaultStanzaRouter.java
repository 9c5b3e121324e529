package im.parley.server.routing;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.AccountWork;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.module.AccountSequencer;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router (RFC 6120 §10): it decides where a stanza goes and fires its addressed events
 * ({@link StanzaEvents}); it delivers nothing itself. A stanza from a local client fires
 * {@code pre-<kind>/<shape>} on the sender's host; then a stanza for a local host fires
 * {@code <kind>/<shape>} on that host, where the delivery module and the features hook, and a
 * stanza for any other domain goes to the first {@link RouteHandler} that claims it (external
 * components, then federation). What no handler takes is answered under one set of rules
 * ({@link Bounces}): a message or IQ request to a local address gets {@code service-unavailable},
 * one to a domain nobody claims {@code remote-server-not-found}; presence, errors and IQ
 * responses are never answered.
 *
 * <p>In-order processing (RFC 6120 §10.1) across asynchronous steps: every stanza for a local
 * address, and every stanza a local client sends, has a turn among the stanzas of its account
 * ({@link AccountStep} in the {@link AccountSequencer}). Work a handler continues asynchronously
 * for the stanza (offline storage, a roster change, an IQ handler, loading a block list) is part
 * of the turn ({@link AccountWork}), and the account's next stanza waits until the turn is over.
 * A stanza for an idle account is routed at once on the caller's thread and takes a turn only if
 * it defers work. Each stanza's asynchronous work, wherever it runs, is tracked in its
 * {@link Handling}. Never blocks.
 */
public final class DefaultStanzaRouter implements StanzaRouter, Undeliverable {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStanzaRouter.class);

    private final HostRegistry hosts;
    private final RouteTable routes;
    private final List<RouteHandler> remote;
    private final AccountSequencer sequencer;
    private final TurnTimeouts timeouts;

    /**
     * @param remote the handlers of non-local domains, asked in order (components before
     *     federation); none at all means federation is off
     * @param timeouts how long deferred work may hold an account's turn (the caller stops it)
     */
    public DefaultStanzaRouter(HostRegistry hosts, RouteTable routes, List<RouteHandler> remote,
                               AccountSequencer sequencer, TurnTimeouts timeouts) {
        this.hosts = hosts;
        this.routes = routes;
        this.remote = List.copyOf(remote);
        this.sequencer = sequencer;
        this.timeouts = timeouts;
    }

    /**
     * Entry point for stanzas from a local client: records the client's own presence, fires the
     * {@code pre-} event on its host, then routes it. Waits behind the account's steps in flight
     * (RFC 6120 §10.1), e.g. the subscription request the client sent just before, which is being
     * stored.
     */
    public void routeFromClient(Stanza stanza, LocalSession origin, Handling handling) {
        inTurn(origin.jid().asEntityBareJid(), handling, step -> processFromClient(stanza, origin, handling, step));
    }

    private void processFromClient(Stanza stanza, LocalSession origin, Handling handling, AccountStep step) {
        Optional<Host> host = hosts.hostOf(origin.jid());
        if (host.isEmpty()) {
            LOG.warn("session {} is not on a host of this server; dropping {}", origin.jid(), stanza.element().asXML());
            return;
        }
        boolean wasAvailable = origin.isAvailable();
        if (stanza.isPresence() && stanza.to() == null) {
            trackOwnPresence(stanza, origin);
        }
        StanzaEvent event = new StanzaEvent(stanza, handling, step, origin);
        host.get().events().fire(StanzaEvents.pre(stanza.kind(), Shape.of(stanza.to())), event,
                () -> route(event.stanza(), handling, step, origin, false));
        if (!wasAvailable && origin.isAvailable()) {
            host.get().events().fire(SessionEvents.AVAILABLE, origin);
        } else if (wasAvailable && !origin.isAvailable()) {
            host.get().events().fire(SessionEvents.UNAVAILABLE, origin);
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

    /** True if the domain is served here: a hosted domain or a component host. */
    public boolean isLocal(DomainBareJid domain) {
        return hosts.isLocal(domain);
    }

    @Override
    public void route(Stanza stanza) {
        route(stanza, Handling.none());
    }

    @Override
    public void route(Stanza stanza, Handling handling) {
        route(stanza, handling, null, null, false);
    }

    /**
     * Routes again a stanza that was delivered to a local session which ended without its client
     * acknowledging it (XEP-0198 §5), addressed anew (to the account's bare JID): its events say
     * so ({@link StanzaEvent#isRedelivery()}), so that what was done for it on its first way in
     * (archiving, its stanza id) is not done twice.
     */
    public void redeliver(Stanza stanza) {
        route(stanza, Handling.none(), null, null, true);
    }

    /**
     * Routes in the turn of the account the stanza is for. {@code current} is the turn of the
     * client stanza being routed, if any: a client's stanza to its own account stays in it.
     */
    private void route(Stanza stanza, Handling handling, AccountStep current, LocalSession origin,
                       boolean redelivery) {
        Jid to = stanza.to();
        // RFC 6120 §10.3: without 'to' the stanza is for the sender's own account.
        Jid addressee = to != null ? to : stanza.from();
        if (addressee == null) {
            LOG.debug("dropping stanza without to and without from: {}", stanza.element().asXML());
            return;
        }
        Optional<Host> host = hosts.hostOf(addressee);
        if (host.isEmpty()) {
            routeRemote(stanza, handling);
            return;
        }
        EntityBareJid account = addressee.asEntityBareJidIfPossible();
        if (account == null) {
            fireOnHost(host.get(), stanza, handling, AccountWork.NONE, origin, redelivery);
        } else if (current != null && current.account().equals(account)) {
            fireOnHost(host.get(), stanza, handling, current, origin, redelivery);
        } else if (stanza.isIq() && isBoundResource(to)) {
            // IQs to a connected resource (answers to its requests, roster and block list
            // pushes) do not wait behind the account's other stanzas: often the account's own
            // turn sends them, and its client expects them before what comes next.
            AccountStep step = AccountStep.inline(sequencer, account, handling, timeouts);
            fireOnHost(host.get(), stanza, handling, step, origin, redelivery);
            step.finish();
        } else {
            inTurn(account, handling, step -> fireOnHost(host.get(), stanza, handling, step, origin, redelivery));
        }
    }

    private boolean isBoundResource(Jid to) {
        EntityFullJid full = to == null ? null : to.asEntityFullJidIfPossible();
        return full != null && routes.find(full).isPresent();
    }

    /**
     * Runs {@code routing} in a turn of {@code account}: behind the account's work in flight,
     * or at once if there is none (RFC 6120 §10.1).
     */
    private void inTurn(EntityBareJid account, Handling handling, Consumer<AccountStep> routing) {
        if (sequencer.isBusy(account)) {
            handling.track(sequencer.serially(account, () -> {
                AccountStep step = AccountStep.running(sequencer, account, handling, timeouts);
                routing.accept(step);
                return step.finish();
            }));
        } else {
            AccountStep step = AccountStep.inline(sequencer, account, handling, timeouts);
            routing.accept(step);
            step.finish();
        }
    }

    /**
     * A stanza for a session that is gone, as for an unavailable resource (XEP-0198 §5): a
     * message is offered to offline storage ({@link StanzaEvents#MESSAGE_OFFLINE}) in the turn of
     * its account, so that it keeps its place among the account's stanzas (RFC 6120 §10.1); one
     * that is not stored is answered {@code service-unavailable} (RFC 6121 §8.5.2.2.1), a headline
     * silently dropped. An IQ request is answered {@code service-unavailable} (RFC 6121
     * §8.5.3.2.1); presence and IQ responses are dropped (§8.5.3.2.2).
     */
    @Override
    public void undeliverable(Stanza stanza, Handling handling) {
        EntityBareJid account = stanza.to() == null ? null : stanza.to().asEntityBareJidIfPossible();
        Optional<Host> host = account == null ? Optional.empty() : hosts.hostOf(account);
        if (host.isEmpty()) {
            LOG.debug("dropping an undeliverable stanza for no local account: {}", stanza.element().asXML());
            return;
        }
        StanzaError unavailable = StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        if (stanza.isMessage()) {
            inTurn(account, handling, step -> host.get().events().fire(StanzaEvents.MESSAGE_OFFLINE,
                    new StanzaEvent(stanza, handling, step, null), () -> {
                        if (!"headline".equals(stanza.type())) {
                            bounce(stanza, unavailable, handling);
                        }
                    }));
        } else if (stanza.isIq() && isRequest(stanza)) {
            bounce(stanza, unavailable, handling);
        }
    }

    /** Fires {@code <kind>/<shape>} on the destination host; what nobody takes gets the default answer. */
    private void fireOnHost(Host host, Stanza stanza, Handling handling, AccountWork work, LocalSession origin,
                            boolean redelivery) {
        Shape shape = Shape.of(stanza.to());
        StanzaEvent event = new StanzaEvent(stanza, handling, work, origin, redelivery);
        host.events().fire(StanzaEvents.to(stanza.kind(), shape), event, () -> unclaimed(host, shape, event));
    }

    /**
     * Nothing took the stanza. An IQ request to a host or a bare JID goes on by the namespace of
     * its payload ({@code iq-get/bare/<namespace>}); other message and IQ requests get
     * {@code service-unavailable} (RFC 6120 §8.3.3.19, RFC 6121 §8.5); presence, errors and IQ
     * responses are dropped.
     */
    private void unclaimed(Host host, Shape shape, StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (stanza.isIq() && isRequest(stanza) && shape != Shape.FULL) {
            if (stanza.element().elements().size() != 1) {
                // RFC 6120 §8.2.3: a get or set request contains exactly one payload child.
                bounce(stanza, StanzaError.of(StanzaErrorCondition.BAD_REQUEST), event.handling());
                return;
            }
            String namespace = stanza.element().elements().get(0).getNamespaceURI();
            host.events().fire(StanzaEvents.iq(stanza.type(), shape, namespace), event,
                    () -> bounce(event.stanza(), StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE),
                            event.handling()));
            return;
        }
        if (stanza.isMessage() || stanza.isIq()) {
            bounce(stanza, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE), event.handling());
        }
    }

    /** A stanza for a domain not served here: the first handler that claims it takes it. */
    private void routeRemote(Stanza stanza, Handling handling) {
        DomainBareJid domain = stanza.to().asDomainBareJid();
        for (RouteHandler handler : remote) {
            if (handler.claims(domain)) {
                handler.route(stanza, handling);
                return;
            }
        }
        bounce(stanza, StanzaError.of(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND,
                "federation with remote domains is disabled on this server"), handling);
    }

    /** Routes the error reply to the sender, if the stanza may be answered at all ({@link Bounces}). */
    private void bounce(Stanza stanza, StanzaError error, Handling handling) {
        Bounces.reply(stanza, error).ifPresent(reply -> route(reply, handling));
    }

    private static boolean isRequest(Stanza iq) {
        String type = iq.type();
        return "get".equals(type) || "set".equals(type);
    }
}
