package im.parley.server.modules.push;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.SessionEvents.Hibernation;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.sm.StreamManagementModule;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.PushRegistration;
import im.parley.server.storage.PushStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push notifications, server side (XEP-0357). A client enables an app server ({@code <enable/>},
 * §5) or disables it (§6); registrations are stored per account, at most
 * {@code push.max_registrations}. When a push-worthy message ({@link PushWorthyMessage}) waits
 * for an account whose session hibernates ({@link SessionEvents#STANZA_QUEUED}, XEP-0198 §5) or
 * which has no session able to take it ({@link StanzaEvents#MESSAGE_OFFLINE}), every app server
 * gets a publish request with the summary form (§7). A {@code result} keeps the account's
 * hibernated sessions for up to {@code stream_management.max_hibernation}, as Prosody and
 * ejabberd do; errors remove the registration ({@link PushFailure}).
 *
 * <p>What it keeps in memory lasts no longer than it is useful: a hibernation's handle until the
 * session resumes or ends (the handle holds the whole session), an account's backlog until the
 * account is online again, and only for accounts with registrations.
 */
public final class PushModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(PushModule.class);

    /** Above the offline module (which handles the event): push sees it and passes. */
    static final int OFFLINE_PRIORITY = EventPriority.OBSERVE;
    /** Answers to our publish requests are ours before any other module (blocking) sees them. */
    static final int RESPONSE_PRIORITY = EventPriority.CLAIM;

    static final OptionSection SECTION = new OptionSection("push", "Push notifications (XEP-0357): clients register "
            + "app servers, which Parley notifies about messages for sleeping devices (see docs/mobile-push.md).");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, true,
            "Whether clients may enable push notifications (XEP-0357 §5).");
    public static final ModuleOption<Integer> MAX_REGISTRATIONS = SECTION.option("max_registrations",
            ValueType.POSITIVE, 5, "App server registrations per account; enabling one more removes the oldest.");
    public static final ModuleOption<Boolean> INCLUDE_SENDER = SECTION.option("include_sender", ValueType.BOOLEAN, true,
            "Notifications name the sender of the last message (`last-message-sender`).");
    public static final ModuleOption<Boolean> INCLUDE_BODY = SECTION.option("include_body", ValueType.BOOLEAN, false,
            "Notifications carry the last message body for every account; when false only for registrations "
                    + "whose publish-options set `include-body` (privacy: app servers, Google and Apple see it).");
    public static final ModuleOption<Integer> MAX_ERRORS = SECTION.option("max_errors", ValueType.POSITIVE, 5,
            "Consecutive failed notifications after which a registration is removed (unknown nodes and refused "
                    + "secrets remove it at once).");
    public static final ModuleOption<Duration> MIN_INTERVAL = SECTION.option("min_interval", ValueType.DURATION,
            Duration.ofSeconds(30),
            "While a notification is unanswered, no other goes to the same app server registration for this long.");

    private PushConfig config;
    /** How long a successful notification keeps a hibernated session ({@code stream_management.max_hibernation}). */
    private Duration extendBy;
    private PushDispatcher dispatcher;
    private Clock clock;
    private final Map<EntityBareJid, AccountBacklog> backlogs = new ConcurrentHashMap<>();
    private final Map<EntityBareJid, Set<Hibernation>> hibernations = new ConcurrentHashMap<>();
    private ModuleContext context;
    private PushStore store;

    @Override
    public String name() {
        return "push";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(ENABLED, MAX_REGISTRATIONS, INCLUDE_SENDER, INCLUDE_BODY, MAX_ERRORS, MIN_INTERVAL);
    }

    @Override
    public void load(ModuleContext context) {
        this.config = PushConfig.of(context);
        // Stream management's option, read even when that module is off: it only bounds our extensions.
        this.extendBy = context.option(StreamManagementModule.MAX_HIBERNATION);
        this.clock = context.clock();
        this.dispatcher = new PushDispatcher(clock, config.minInterval(), config.maxErrors());
        if (!config.enabled()) {
            return;
        }
        this.context = context;
        this.store = context.storage().push();
        context.addServerFeature(PushNamespaces.PUSH);
        // XEP-0357 §4: clients look for the feature on their own account.
        context.addAccountFeature(PushNamespaces.PUSH);
        context.handleAccountIq(PushNamespaces.PUSH, this::onRequest);
        context.hook(SessionEvents.HIBERNATED, 0, this::onHibernated);
        context.hook(SessionEvents.STANZA_QUEUED, 0, this::onQueued);
        context.hook(StanzaEvents.MESSAGE_OFFLINE, OFFLINE_PRIORITY, this::onOffline);
        context.hook(StanzaEvents.to("iq", Shape.BARE), RESPONSE_PRIORITY, this::onResponse);
        context.hook(StanzaEvents.to("iq", Shape.FULL), RESPONSE_PRIORITY, this::onResponse);
        context.hook(SessionEvents.RESUMED, 0, session -> {
            forgetHibernation(session);
            return onOnline(session);
        });
        context.hook(SessionEvents.CLOSED, 0, this::forgetHibernation);
        context.hook(SessionEvents.AVAILABLE, 0, this::onOnline);
    }

    private CompletionStage<Element> onRequest(Stanza iq) {
        Element request = iq.element().elements().get(0);
        EntityBareJid owner = iq.from() == null ? null : iq.from().asEntityBareJidIfPossible();
        boolean own = owner != null && (iq.to() == null || owner.equals(iq.to().asBareJid()));
        if (!"set".equals(iq.type()) || !own) {
            return error(iq, own ? StanzaErrorCondition.BAD_REQUEST : StanzaErrorCondition.FORBIDDEN, null);
        }
        try {
            return switch (request.getName()) {
                case "enable" -> enable(iq, owner, PushRequests.enable(request));
                case "disable" -> disable(iq, owner, PushRequests.disable(request));
                default -> error(iq, StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null);
            };
        } catch (PushRequests.InvalidRequest e) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, e.getMessage());
        }
    }

    /** XEP-0357 §5; the oldest registrations beyond the limit go (as Prosody's push_max_devices). */
    private CompletionStage<Element> enable(Stanza iq, EntityBareJid owner, PushRequests.Enable enable) {
        PushRegistration registration = new PushRegistration(enable.appServer(), enable.node(),
                enable.publishOptions(), clock.instant());
        return PoolWork.supply(() -> store.put(owner, registration, config.maxRegistrations()),
                context.blocking()).thenApply(evicted -> {
                    dispatcher.forget(PushDispatcher.Target.of(owner, registration));
                    evicted.forEach(old -> dispatcher.forget(PushDispatcher.Target.of(owner, old)));
                    LOG.debug("{} enabled push to {} node {}", owner, enable.appServer(), enable.node());
                    return Stanzas.iqResult(iq.element());
                });
    }

    /** XEP-0357 §6: without node, every node of the app server. */
    private CompletionStage<Element> disable(Stanza iq, EntityBareJid owner, PushRequests.Disable disable) {
        return PoolWork.supply(() -> store.remove(owner, disable.appServer(), disable.node()),
                context.blocking()).thenApply(removed -> {
                    if (disable.node() == null) {
                        dispatcher.forgetAll(owner, disable.appServer());
                    } else {
                        dispatcher.forget(new PushDispatcher.Target(owner, disable.appServer(), disable.node()));
                    }
                    return Stanzas.iqResult(iq.element());
                });
    }

    private Verdict onHibernated(Hibernation hibernation) {
        EntityBareJid owner = hibernation.session().jid().asEntityBareJid();
        Set<Hibernation> active = hibernations.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
        active.removeIf(h -> !h.isActive());
        active.add(hibernation);
        return Verdict.PASS;
    }

    /** XEP-0198 §5: the hibernation of {@code session} is over (resumed or ended). */
    private Verdict forgetHibernation(LocalSession session) {
        hibernations.computeIfPresent(session.jid().asEntityBareJid(), (owner, active) -> {
            active.removeIf(h -> h.session() == session || !h.isActive());
            return active.isEmpty() ? null : active;
        });
        return Verdict.PASS;
    }

    private Verdict onQueued(SessionEvents.QueuedStanza queued) {
        PushWorthyMessage.of(queued.stanza()).ifPresent(message ->
                notify(queued.hibernation().session().jid().asEntityBareJid(), message, queued.stanza()));
        return Verdict.PASS;
    }

    /** Passes, so that offline storage still stores the message. */
    private Verdict onOffline(StanzaEvent inbound) {
        Stanza stanza = inbound.stanza();
        EntityBareJid owner = stanza.to() == null ? null : stanza.to().asEntityBareJidIfPossible();
        if (owner != null) {
            PushWorthyMessage.of(stanza.element()).ifPresent(message -> notify(owner, message, stanza.element()));
        }
        return Verdict.PASS;
    }

    private Verdict onOnline(LocalSession session) {
        backlogs.remove(session.jid().asEntityBareJid());
        return Verdict.PASS;
    }

    private void notify(EntityBareJid owner, PushWorthyMessage message, Element stanza) {
        AccountBacklog backlog = backlogs.computeIfAbsent(owner, o -> new AccountBacklog());
        if (!backlog.add(message, AccountBacklog.key(stanza))) {
            return;
        }
        // PoolWork never throws: when the pool refuses (the server stopping, or too busy) the
        // offline event still goes on to the store that keeps the message (a rolling restart lost
        // acknowledged messages here when the refusal escaped); a wake-up is best effort.
        PoolWork.supply(() -> store.load(owner), context.blocking())
                .thenAccept(registrations -> {
                    if (registrations.isEmpty()) {
                        // Nobody to wake: nothing to keep for the account until it comes back.
                        backlogs.remove(owner, backlog);
                    } else {
                        publish(owner, backlog, registrations);
                    }
                })
                .exceptionally(failure -> {
                    if (PoolWork.refused(failure)) {
                        backlogs.remove(owner, backlog);
                        LOG.debug("not notifying the app servers of {}: the blocking pool refused", owner);
                    } else {
                        LOG.warn("cannot notify the app servers of {}", owner, failure);
                    }
                    return null;
                });
    }

    private void publish(EntityBareJid owner, AccountBacklog backlog, List<PushRegistration> registrations) {
        for (PushRegistration registration : registrations) {
            Optional<String> id = dispatcher.begin(PushDispatcher.Target.of(owner, registration));
            if (id.isEmpty()) {
                continue;
            }
            boolean withBody = config.includeBody() || (registration.publishOptions() != null
                    && DataForms.isTrue(registration.publishOptions(), PushNamespaces.INCLUDE_BODY_FIELD));
            PushSummary summary = backlog.summary(config.includeSender(), withBody);
            context.send(new Stanza(PushNotification.publish(id.get(), owner, registration, summary), owner,
                    registration.appServer()));
        }
    }

    /** The app server's answer to a publish request (XEP-0357 §7). */
    private Verdict onResponse(StanzaEvent inbound) {
        Stanza iq = inbound.stanza();
        if (!Stanzas.isIqResponse(iq.element()) || iq.from() == null) {
            return Verdict.PASS;
        }
        Optional<PushDispatcher.Target> target = dispatcher.pendingFrom(iq.id(), iq.from());
        if (target.isEmpty()) {
            return Verdict.PASS;
        }
        if ("result".equals(iq.type())) {
            dispatcher.succeeded(iq.id());
            extendHibernations(target.get().owner());
        } else if (dispatcher.failed(iq.id(), PushFailure.of(iq.element())) == PushDispatcher.Outcome.REMOVE) {
            remove(target.get());
        }
        return Verdict.HANDLED;
    }

    private void extendHibernations(EntityBareJid owner) {
        Set<Hibernation> active = hibernations.get(owner);
        if (active != null) {
            active.removeIf(h -> !h.extend(extendBy));
        }
    }

    private void remove(PushDispatcher.Target target) {
        LOG.info("removing the push registration of {} at {} node {}: the app server keeps failing",
                target.owner(), target.appServer(), target.node());
        dispatcher.forget(target);
        PoolWork.run(() -> store.remove(target.owner(), target.appServer(), target.node()), context.blocking())
                .exceptionally(failure -> {
                    // Forgotten in memory already; the stored registration goes at the next failure.
                    LOG.warn("cannot remove the push registration of {}", target.owner(), failure);
                    return null;
                });
    }

    /** Accounts whose hibernated sessions push may extend; for tests. */
    int trackedHibernations() {
        return hibernations.values().stream().mapToInt(Set::size).sum();
    }

    /** Accounts with push-worthy messages since they were last online; for tests. */
    int trackedBacklogs() {
        return backlogs.size();
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition, String text) {
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(),
                text == null ? StanzaError.of(condition) : StanzaError.of(condition, text)));
    }
}
