package im.parley.server.modules.presence;

import im.parley.core.routing.Stanza;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * Presence and presence subscriptions (RFC 6121 §3, §4): the resource's own broadcast presence,
 * probes, directed presence and the subscription state machine of Appendix A. All state lives
 * in this instance, keyed by session.
 */
public final class PresenceModule implements XmppModule {

    /** Subscription pre-approval is announced with the post-authentication features (RFC 6121 §3.4.1). */
    public static final int PRE_APPROVAL_FEATURE_ORDER = C2sFeatures.BIND + 400;

    private ModuleContext context;
    private ResourcePresences resources;
    private PresenceBroadcaster broadcaster;
    private SubscriptionHandler subscriptions;
    private ProbeResponder probes;

    @Override
    public String name() {
        return "presence";
    }

    /** Subscriptions live in rosters: presence follows the roster module's changes. */
    @Override
    public List<String> dependsOn() {
        return List.of("roster");
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        context.addStreamFeature(PRE_APPROVAL_FEATURE_ORDER, PreApprovalFeature::new);
        resources = new ResourcePresences(context);
        broadcaster = new PresenceBroadcaster(context, resources);
        subscriptions = new SubscriptionHandler(context, resources);
        probes = new ProbeResponder(context, resources);
        for (var type : StanzaEvents.pre("presence")) {
            context.hook(type, EventPriority.HANDLE, this::outbound);
        }
        context.hook(StanzaEvents.to("presence", Shape.BARE), EventPriority.HANDLE, this::inbound);
        context.hook(StanzaEvents.to("presence", Shape.FULL), EventPriority.HANDLE, this::inbound);
        context.hook(SessionEvents.AVAILABLE, 0, session -> {
            subscriptions.deliverPendingRequests(session);
            return Verdict.PASS;
        });
        context.hook(SessionEvents.CLOSED, 0, this::closed);
    }

    /** Presence a local client sends (§3 subscriptions, §4.2 to §4.6). */
    private Verdict outbound(StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (!stanza.isPresence()) {
            return Verdict.PASS;
        }
        LocalSession origin = event.origin();
        ResourcePresence state = resources.of(origin);
        String type = stanza.type();
        Optional<SubscriptionType> subscription = SubscriptionType.of(type);
        if (subscription.isPresent()) {
            if (stanza.to() != null) {
                subscriptions.outbound(origin, stanza, subscription.get(), event.handling(), event.work());
            }
            return Verdict.HANDLED;
        }
        if (stanza.to() == null) {
            if (type == null) {
                broadcaster.available(origin, state, stanza.element(), event.work());
                return Verdict.HANDLED;
            }
            if ("unavailable".equals(type)) {
                broadcaster.unavailable(origin, state, stanza.element(), event.work());
                return Verdict.HANDLED;
            }
            return Verdict.PASS;
        }
        // §4.6.2: directed presence is routed as addressed; its recipients are remembered.
        boolean changed = type == null ? state.directedAvailable(stanza.to())
                : "unavailable".equals(type) && state.directedUnavailable(stanza.to());
        if (changed) {
            context.fire(SessionEvents.DIRECTED_PRESENCE, new SessionEvents.DirectedPresence(origin, state.directed()));
        }
        return Verdict.PASS;
    }

    /**
     * Presence for a local account. Probes (§4.3.2) and subscription stanzas (§3) are the
     * server's business; available and unavailable presence is delivered by the router (the
     * sending server decided the user may see it, §4.2.3, §4.6.3).
     */
    private Verdict inbound(StanzaEvent event) {
        Stanza stanza = event.stanza();
        EntityBareJid user = stanza.to() == null ? null : stanza.to().asEntityBareJidIfPossible();
        if (user == null || stanza.from() == null) {
            return Verdict.PASS;
        }
        if ("probe".equals(stanza.type())) {
            probes.answer(user, stanza, event.work());
            return Verdict.HANDLED;
        }
        Optional<SubscriptionType> subscription = SubscriptionType.of(stanza.type());
        if (subscription.isPresent()) {
            subscriptions.inbound(user, stanza, subscription.get(), event.handling(), event.work());
            return Verdict.HANDLED;
        }
        // A subscription stanza that arrived earlier (say the contact's approval) and is still
        // being stored holds this presence back in the router (RFC 6120 §10.1).
        return Verdict.PASS;
    }

    /**
     * §4.5.2: a session that ends for any reason, dropped connections included, goes unavailable;
     * so does one whose cluster node died, for its contacts and, §4.6.3, the entities it sent
     * directed presence to (its node shared them, {@link SessionEvents#DIRECTED_PRESENCE}).
     */
    private Verdict closed(LocalSession session) {
        ResourcePresence state = resources.end(session);
        if (state != null) {
            broadcaster.unavailable(session, state,
                    PresenceStanzas.create(session.jid(), session.jid().asEntityBareJid(), "unavailable"),
                    context.newTurns(session.jid().asEntityBareJid()));
        }
        return Verdict.PASS;
    }
}
