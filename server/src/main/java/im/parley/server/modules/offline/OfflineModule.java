package im.parley.server.modules.offline;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.metrics.SampledValue;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.metrics.MetricsModule;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.OfflineStore;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline messages (XEP-0160, RFC 6121 §8.5.2.2.1): a message for an existing account with no
 * available resource of non-negative priority is stored, up to a per-account quota, and
 * delivered with a XEP-0203 delay stamp when a resource next sends available presence with
 * non-negative priority.
 *
 * <p>On a cluster the nodes share the store, and a message may be stored by one node after the
 * resource that just came online on another got the stored ones (a node that took over the
 * messages of a node that stopped or died, say): the storing node could not deliver it, since
 * it did not know that resource yet (the nodes learn each other's sessions asynchronously). So
 * a node that stored a message it could not deliver says so to the others
 * ({@link im.parley.server.session.SharedCaches}, after the write), and a node with an
 * available resource of the account delivers the stored messages to it, as when it came online.
 */
public final class OfflineModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineModule.class);

    /** XEP-0160 §4: the service discovery feature of offline storage. */
    public static final String FEATURE = "msgoffline";
    /** The name under which a node tells the others it stored messages for an account. */
    static final String STORED = "offline";
    /** Messages kept per account by default (as ejabberd's {@code max_user_offline_messages}). */
    public static final int DEFAULT_QUOTA = 1000;

    /** Sees the client's own presence before any module that might consume it (blocking included). */
    private static final int PRESENCE_WATCH_PRIORITY = EventPriority.FILTER + 100;
    /**
     * Holds messages for an account with a backlog after every filter (blocking, ...) and
     * observer saw them, just before delivery would hand them to the resource.
     */
    private static final int BACKLOG_PRIORITY = EventPriority.DELIVER + 10;

    private final int quota;
    /** Available sessions whose last presence had a negative priority: they get no offline messages yet. */
    private final Set<LocalSession> negativePriority = ConcurrentHashMap.newKeySet();
    /**
     * Accounts with messages stored, or on their way to storage, that no session has received
     * yet. A message for such an account joins the backlog even if a resource is available
     * now, so it cannot overtake them (RFC 6120 §10.1): the resource gets the backlog first.
     */
    private final Set<EntityBareJid> backlog = ConcurrentHashMap.newKeySet();
    private Clock clock;
    private ModuleContext context;
    private OfflineStore store;
    private Counter stored;
    private OfflineDelivery delivery;

    public OfflineModule() {
        this(DEFAULT_QUOTA);
    }

    /** @param quota the most messages kept for one account; more are bounced */
    public OfflineModule(int quota) {
        if (quota < 1) {
            throw new IllegalArgumentException("offline quota must be positive: " + quota);
        }
        this.quota = quota;
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public void load(ModuleContext context) {
        this.context = context;
        this.clock = context.clock();
        this.store = context.storage().offline();
        this.delivery = new OfflineDelivery(store, context.sessions());
        backlog.addAll(store.owners());
        context.hook(StanzaEvents.MESSAGE_OFFLINE, EventPriority.DELIVER, this::onOfflineMessage);
        context.hook(StanzaEvents.to("message", Shape.BARE), BACKLOG_PRIORITY, this::onMessageWhileBacklogged);
        context.hook(StanzaEvents.to("message", Shape.FULL), BACKLOG_PRIORITY, this::onMessageWhileBacklogged);
        context.hook(SessionEvents.AVAILABLE, 0, this::onAvailable);
        context.sessions().caches().onChange(STORED, this::storedOnAnotherNode);
        context.hook(StanzaEvents.pre("presence", Shape.BARE), PRESENCE_WATCH_PRIORITY, this::onOwnPresence);
        context.hook(SessionEvents.CLOSED, 0, session -> {
            negativePriority.remove(session);
            return Verdict.PASS;
        });
        context.addServerFeature(FEATURE);
        DomainBareJid domain = context.host().domain();
        stored = Counter.builder("parley.offline.stored").tag("domain", domain.toString())
                .description("Messages put in offline storage").register(context.metrics().registry());
        new SampledValue(() -> store.total(domain), context.blocking(), context.clock(),
                context.option(MetricsModule.SAMPLE_INTERVAL)).register(context.metrics().registry(),
                "parley.offline.messages", "Messages waiting in offline storage (sampled)", domain);
    }

    /**
     * Takes the message if XEP-0160 §3 says to store it. Whether the account exists is only
     * known after a storage lookup, so the answer (storage or a bounce) happens on the
     * blocking executor, in the message's turn among the account's stanzas: messages are stored
     * in the order they came, and the sender's stanza counts as handled once its message is
     * stored (XEP-0198 §4).
     */
    private Verdict onOfflineMessage(StanzaEvent event) {
        Stanza message = event.stanza();
        EntityBareJid owner = message.to() == null ? null : message.to().asEntityBareJidIfPossible();
        if (owner == null || !OfflinePolicy.shouldStore(message.element())) {
            return Verdict.PASS;
        }
        store(event, owner);
        return Verdict.HANDLED;
    }

    /**
     * A message for an account that has a resource online which has not received all stored
     * messages yet (it just came online and is getting them): the message goes behind them
     * instead of overtaking them. Without such a resource the router offers the message to
     * offline storage as usual ({@link StanzaEvents#MESSAGE_OFFLINE}); a message for a particular
     * resource that is online goes to it.
     */
    private Verdict onMessageWhileBacklogged(StanzaEvent event) {
        Stanza message = event.stanza();
        EntityBareJid owner = message.to() == null ? null : message.to().asEntityBareJidIfPossible();
        if (owner == null || !backlog.contains(owner) || !OfflinePolicy.shouldStore(message.element())
                || !hasResourceForOfflineMessages(owner)) {
            return Verdict.PASS;
        }
        if (message.to().hasResource() && context.sessions().find(message.to().asEntityFullJidIfPossible()).isPresent()) {
            return Verdict.PASS;
        }
        store(event, owner);
        return Verdict.HANDLED;
    }

    /** XEP-0160 §2 step 5: an available resource with non-negative priority gets stored messages. */
    private boolean hasResourceForOfflineMessages(EntityBareJid owner) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (session.isAvailable() && session.priority() >= 0) {
                return true;
            }
        }
        return false;
    }

    private void store(StanzaEvent event, EntityBareJid owner) {
        Stanza message = event.stanza();
        backlog.add(owner);
        event.work().defer(() -> PoolWork
                .run(() -> storeOrBounce(message, owner, event.handling()), context.blocking())
                .exceptionally(failure -> {
                    // Not stored: the sender learns it. A pool too busy to take the write is a
                    // temporary condition (RFC 6120 §8.3.3.18, wait): the client may send again.
                    if (PoolWork.refused(failure)) {
                        LOG.warn("cannot store offline message for {}: the blocking pool refused the write", owner);
                    } else {
                        LOG.warn("cannot store offline message for {}", owner, failure);
                    }
                    StanzaErrorCondition condition = PoolWork.errorFor(failure, StanzaErrorCondition.SERVICE_UNAVAILABLE);
                    bounce(message, StanzaError.of(condition), event.handling());
                    return null;
                }));
    }

    private void storeOrBounce(Stanza message, EntityBareJid owner, Handling handling) {
        if (!context.storage().accounts().exists(owner)) {
            // RFC 6121 §8.5.2.2.1 / §8.5.1: no such account, the sender learns it as the router would tell it.
            backlog.remove(owner);
            bounce(message, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE), handling);
            return;
        }
        if (!store.append(owner, message.element().asXML(), clock.instant(), quota)) {
            // XEP-0160 §2 step 3: a full offline queue is answered with <service-unavailable/>.
            bounce(message, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE, "offline storage full"), handling);
            return;
        }
        stored.increment();
        // A flush that ran between this message's routing and its storage may have cleared it.
        backlog.add(owner);
        if (!deliverIfOnline(owner)) {
            context.sessions().caches().changed(STORED, owner.toString());
        }
    }

    /**
     * The account came online after the router chose storage for this message (the decision and
     * the store are steps apart): it gets it now, in order, since this runs as the account's step.
     * Returns false if this node knows no resource to deliver to.
     */
    private boolean deliverIfOnline(EntityBareJid owner) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (session.isAvailable() && session.priority() >= 0) {
                try {
                    flush(session);
                } catch (RuntimeException e) {
                    // The message is stored: it goes out on the next available presence.
                    LOG.warn("cannot deliver offline messages to {}", session.jid(), e);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Another node stored messages for {@code account} that it could not deliver: an available
     * resource connected here gets them, in the account's turn, as if it had just come online
     * (see the class comment). Nodes without one leave them to the next available presence.
     */
    private void storedOnAnotherNode(String account) {
        EntityBareJid owner;
        try {
            owner = Jids.parseEntityBare(account);
        } catch (JidMalformedException e) {
            return;
        }
        if (!owner.asDomainBareJid().equals(context.host().domain())) {
            return;
        }
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (session.isOnThisNode() && session.isAvailable() && session.priority() >= 0) {
                backlog.add(owner);
                flushInTurn(session);
                return;
            }
        }
    }

    /**
     * XEP-0160 §2 step 5: delivery to the resource that sent non-negative available presence,
     * as one of the account's steps: messages still on their way to storage go out first, and
     * live messages routed meanwhile wait behind the stored ones (RFC 6120 §10.1).
     */
    private Verdict onAvailable(LocalSession session) {
        if (session.priority() >= 0) {
            flushInTurn(session);
        }
        return Verdict.PASS;
    }

    /** Delivers the backlog to {@code session} on the blocking pool, as one of the account's steps. */
    private void flushInTurn(LocalSession session) {
        context.serially(session.jid().asEntityBareJid(),
                () -> PoolWork.run(() -> flush(session), context.blocking())
                        .exceptionally(failure -> {
                            LOG.warn("cannot deliver offline messages to {}", session.jid(), failure);
                            return null;
                        }));
    }

    /**
     * XEP-0160 §2 step 5 also covers an available resource raising its priority from negative
     * to non-negative; {@link SessionEvents#AVAILABLE} only reports the initial presence. The
     * session has recorded the new priority when this event fires.
     */
    private Verdict onOwnPresence(StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (!stanza.isPresence() || stanza.to() != null) {
            return Verdict.PASS;
        }
        LocalSession session = event.origin();
        if (stanza.type() != null || !session.isAvailable()) {
            negativePriority.remove(session);
        } else if (session.priority() < 0) {
            negativePriority.add(session);
        } else if (negativePriority.remove(session)) {
            onAvailable(session);
        }
        return Verdict.PASS;
    }

    /** Delivers the backlog to {@code session}; the account leaves the backlog if all of it went out. Blocking. */
    private void flush(LocalSession session) {
        if (delivery.flush(session)) {
            backlog.remove(session.jid().asEntityBareJid());
        }
    }

    /** The error reply to a message that could not be stored (RFC 6120 §8.3.1). */
    private void bounce(Stanza message, StanzaError error, Handling handling) {
        if (message.from() == null || message.isError()) {
            return;
        }
        Element reply = Stanzas.errorReply(message.element(), error);
        reply.addAttribute("from", message.to().toString());
        context.send(new Stanza(reply, message.to(), message.from()), handling);
    }
}
