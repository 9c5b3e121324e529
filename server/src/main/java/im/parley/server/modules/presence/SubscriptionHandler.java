package im.parley.server.modules.presence;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.AccountWork;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.roster.RosterEvents;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.PendingSubscription;
import im.parley.server.storage.RosterStore;
import im.parley.server.storage.RosterUpdate;
import im.parley.server.storage.StoredXml;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence subscriptions (RFC 6121 §3) on both ends: what the user's server does with a
 * subscription stanza the user sends (Appendix A.2) and with one a contact sends to the user
 * (Appendix A.3). Every state change is stored, then pushed to the user's interested resources
 * (§2.1.6 through {@link RosterEvents#CHANGED}).
 */
final class SubscriptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHandler.class);

    private final ModuleContext context;
    private final RosterStore store;
    private final ResourcePresences resources;

    SubscriptionHandler(ModuleContext context, ResourcePresences resources) {
        this.context = context;
        this.store = context.storage().rosters();
        this.resources = resources;
    }

    /**
     * Appendix A.2 (§3.1.2, §3.1.5, §3.2.2, §3.3.2): updates the user's state and routes the
     * stanza stamped with the user's bare JID (§3.1.2), except a pre-approval (§3.4), which
     * stays on the server. Approving sends the contact the user's current presence (§3.1.5);
     * revoking sends unavailable presence (§3.2.2).
     */
    void outbound(LocalSession origin, Stanza stanza, SubscriptionType type, Handling handling, AccountWork work) {
        EntityBareJid user = origin.jid().asEntityBareJid();
        BareJid contact = stanza.to().asBareJid();
        if (contact.equals(user)) {
            return;  // a user is implicitly subscribed to its own presence
        }
        Element stamped = PresenceStanzas.copy(stanza.element(), user, contact);
        work.defer(() -> PoolWork.supply(() -> store.update(user, contact,
                current -> SubscriptionState.of(current).afterOutbound(type).applyTo(current, contact, null)),
                context.blocking()).thenAccept(update -> {
                    pushIfChanged(user, contact, update);
                    SubscriptionState before = SubscriptionState.of(update.before());
                    SubscriptionState after = SubscriptionState.of(update.after());
                    boolean preApproval = type == SubscriptionType.SUBSCRIBED && !before.pendingIn()
                            && !before.subscription().hasFrom();
                    if (!preApproval) {
                        context.send(new Stanza(stamped, user, contact), handling);
                    }
                    if (!before.subscription().hasFrom() && after.subscription().hasFrom()) {
                        resources.sendCurrentPresence(user, contact);
                    } else if (before.subscription().hasFrom() && !after.subscription().hasFrom()) {
                        resources.sendUnavailable(user, contact);
                    }
                })).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        failed(stanza, type, user, contact, failure, handling);
                    }
                });
    }

    /**
     * Appendix A.3 (§3.1.3, §3.1.6, §3.2.3, §3.3.3): updates the user's state. A request from a
     * contact that is already subscribed or pre-approved is answered by the server (§3.1.3 rule
     * 2, §3.4); a new request is kept until the user answers it and delivered to the available
     * resources now and at each later login (§3.1.3 rules 3 and 4). Other stanzas reach the
     * user only if they changed the state. RFC 6121 §8.5.1: for an account that does not exist,
     * "For a presence stanza of type "subscribe", "subscribed", "unsubscribe", or "unsubscribed",
     * the server MUST silently ignore the stanza" (RFC 3921 answered {@code unsubscribed}; the
     * silence also keeps the address from telling whether the account exists).
     */
    void inbound(EntityBareJid user, Stanza stanza, SubscriptionType type, Handling handling, AccountWork work) {
        BareJid contact = stanza.from().asBareJid();
        if (contact.equals(user)) {
            return;
        }
        Element delivered = PresenceStanzas.copy(stanza.element(), contact, user);
        String request = type == SubscriptionType.SUBSCRIBE ? delivered.asXML() : null;
        work.defer(() -> PoolWork.supply(() -> context.storage().accounts().exists(user)
                ? store.update(user, contact,
                        current -> SubscriptionState.of(current).afterInbound(type).applyTo(current, contact, request))
                : null, context.blocking()).thenAccept(update -> {
                    if (update == null) {
                        return;  // no such account (§8.5.1)
                    }
                    pushIfChanged(user, contact, update);
                    SubscriptionState before = SubscriptionState.of(update.before());
                    SubscriptionState after = SubscriptionState.of(update.after());
                    if (type == SubscriptionType.SUBSCRIBE) {
                        if (after.subscription().hasFrom()) {
                            reply(user, contact, "subscribed", handling);
                            if (!before.subscription().hasFrom()) {
                                resources.sendCurrentPresence(user, contact);
                            }
                        } else if (!before.pendingIn()) {
                            deliverToAvailableResources(user, delivered);
                        }
                        return;
                    }
                    if (!before.equals(after)) {
                        deliverToAvailableResources(user, delivered);
                    }
                    if (before.subscription().hasFrom() && !after.subscription().hasFrom()) {
                        resources.sendUnavailable(user, contact);
                    }
                })).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        failed(stanza, type, contact, user, failure, handling);
                    }
                });
    }

    /**
     * A subscription stanza whose state change could not be stored is not dropped without a
     * word: its sender gets a presence error (RFC 6120 §8.3), {@code resource-constraint} (type
     * {@code wait}, §8.3.3.18) when the server was too busy to take the write, else
     * {@code internal-server-error}; it may send the stanza again.
     */
    private void failed(Stanza stanza, SubscriptionType type, BareJid from, BareJid to, Throwable failure,
                        Handling handling) {
        if (PoolWork.refused(failure)) {
            LOG.warn("cannot process {} from {} to {} now: the blocking pool refused", type, from, to);
        } else {
            LOG.warn("cannot process {} from {} to {}", type, from, to, failure);
        }
        Bounces.reply(stanza, PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                .ifPresent(error -> context.send(error, handling));
    }

    /**
     * §3.1.3 rule 4: unanswered requests reach each resource when it becomes available; one of
     * the account's steps, so a request being stored is either among them or delivered after.
     */
    void deliverPendingRequests(LocalSession session) {
        EntityBareJid user = session.jid().asEntityBareJid();
        context.serially(user, () -> PoolWork.supply(() -> store.pendingSubscriptions(user), context.blocking())
                .thenAccept(pending -> {
                    for (PendingSubscription request : pending) {
                        try {
                            session.deliver(StoredXml.parse(request.stanza(), "a stored subscription request"));
                        } catch (IllegalStateException e) {
                            LOG.warn("stored subscription request from {} to {} is not XML", request.contact(), user, e);
                        }
                    }
                }));
    }

    private void pushIfChanged(EntityBareJid user, BareJid contact, RosterUpdate update) {
        if (update.itemChanged()) {
            context.fire(RosterEvents.CHANGED,
                    new RosterEvents.Change(user, contact, update.after().item(), update.version()));
        }
    }

    /** Subscription stanzas to a local user are delivered here, not routed: routing would hand them back to us. */
    private void deliverToAvailableResources(EntityBareJid user, Element presence) {
        for (LocalSession session : context.sessions().sessionsOf(user)) {
            if (session.isAvailable()) {
                session.deliver(presence);
            }
        }
    }

    private void reply(EntityBareJid user, BareJid contact, String type, Handling handling) {
        context.send(new Stanza(PresenceStanzas.create(user, contact, type), user, contact), handling);
    }
}
