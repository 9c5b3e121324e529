package im.parley.server.modules.presence;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.AccountWork;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.Roster;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.RosterStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasts a resource's own presence (RFC 6121 §4.2 initial, §4.4 updates, §4.5
 * unavailable): to the contacts subscribed to the user ("from" or "both") and to the user's
 * available resources, never to anyone else. Initial presence also probes the contacts the user
 * subscribes to (§4.3.1). Unavailable presence also reaches every entity that got directed
 * presence from the resource (§4.6.3).
 */
final class PresenceBroadcaster {

    /**
     * How often a roster read the blocking pool refuses is handed over again, the pauses
     * doubling from {@link #FIRST_PAUSE}: 50 + 100 + 200 + 400 ms, under a second in all.
     */
    static final int READ_ATTEMPTS = 5;
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(PresenceBroadcaster.class);

    private final ModuleContext context;
    private final RosterStore store;
    private final ResourcePresences resources;

    PresenceBroadcaster(ModuleContext context, ResourcePresences resources) {
        this.context = context;
        this.store = context.storage().rosters();
        this.resources = resources;
    }

    /**
     * §4.2.2 and §4.4.2: the client sent available presence without 'to'. The broadcast is part
     * of the presence's turn, so a message the client sends next does not overtake it; the
     * presence counts as handled once the broadcast went out to the router (presence to a remote
     * contact is not waited for: it is not stored anywhere, and a contact's server that cannot be
     * reached must not hold the client's acknowledgements back).
     */
    void available(LocalSession origin, ResourcePresence state, Element presence, AccountWork work) {
        boolean initial = state.available(presence);
        EntityFullJid from = origin.jid();
        EntityBareJid owner = from.asEntityBareJid();
        work.defer(() -> roster(owner).thenAccept(roster -> {
            for (RosterItem item : roster.items()) {
                if (item.subscription().hasFrom()) {
                    send(presence, from, item.contact());
                }
            }
            // The user's available resources, the sender included (§4.2.2).
            send(presence, from, owner);
            if (initial) {
                for (RosterItem item : roster.items()) {
                    if (item.subscription().hasTo()) {
                        Element probe = PresenceStanzas.create(owner, item.contact(), "probe");
                        context.send(new Stanza(probe, owner, item.contact()));
                    }
                }
                sendOtherResources(origin);
            }
        }).exceptionally(failure -> {
            notBroadcast(presence, from, failure);
            return null;
        }));
    }

    /**
     * A client's available presence that could not be broadcast is not dropped without a word:
     * the client gets a presence error (RFC 6120 §8.3), {@code resource-constraint} (type
     * {@code wait}, §8.3.3.18) when the pool still refused after every attempt, else
     * {@code internal-server-error}, and may send its presence again.
     */
    private void notBroadcast(Element presence, EntityFullJid from, Throwable failure) {
        if (PoolWork.refused(failure)) {
            LOG.warn("cannot broadcast the presence of {} now: the blocking pool refused", from);
        } else {
            LOG.warn("cannot broadcast the presence of {}", from, failure);
        }
        Bounces.reply(new Stanza(presence, from, null), PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                .ifPresent(context::send);
    }

    /**
     * §4.5.2: the client sent unavailable presence without 'to', or its session ended
     * (then {@code presence} is one the server made). Nothing happens for a resource that was
     * not available.
     */
    void unavailable(LocalSession origin, ResourcePresence state, Element presence, AccountWork work) {
        Set<Jid> directed = state.unavailable();
        if (directed == null) {
            return;
        }
        EntityFullJid from = origin.jid();
        EntityBareJid owner = from.asEntityBareJid();
        work.defer(() -> roster(owner).thenAccept(roster -> {
            Set<BareJid> reached = new HashSet<>();
            for (RosterItem item : roster.items()) {
                if (item.subscription().hasFrom()) {
                    send(presence, from, item.contact());
                    reached.add(item.contact());
                }
            }
            send(presence, from, owner);
            reached.add(owner);
            for (Jid to : directed) {
                if (!reached.contains(to.asBareJid())) {
                    send(presence, from, to);
                }
            }
        }));
    }

    /** A newly available resource learns the presence of the user's other available resources. */
    private void sendOtherResources(LocalSession origin) {
        for (LocalSession other : context.sessions().sessionsOf(origin.jid().asEntityBareJid())) {
            Element presence = resources.lastAvailable(other);
            if (other != origin && presence != null) {
                send(presence, other.jid(), origin.jid());
            }
        }
    }

    /**
     * The owner's roster, read on the blocking pool; a broadcast has nobody to ask to send it
     * again (an unavailable presence at a session's end has no client left), so a refusal of
     * the pool (its queue full) is waited out for a while ({@link #READ_ATTEMPTS}).
     */
    private CompletableFuture<Roster> roster(EntityBareJid owner) {
        return PoolWork.supplyPatiently(() -> store.roster(owner), context.blocking(), READ_ATTEMPTS, FIRST_PAUSE,
                context::after);
    }

    private void send(Element presence, Jid from, Jid to) {
        context.send(new Stanza(PresenceStanzas.copy(presence, from, to), from, to));
    }
}
