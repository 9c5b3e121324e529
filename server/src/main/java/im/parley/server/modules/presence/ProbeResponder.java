package im.parley.server.modules.presence;

import im.parley.core.routing.Stanza;
import im.parley.server.event.AccountWork;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.storage.RosterStore;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers presence probes for local accounts on the server (RFC 6121 §4.3.2); probes are never
 * delivered to clients.
 */
final class ProbeResponder {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeResponder.class);

    private final ModuleContext context;
    private final RosterStore store;
    private final ResourcePresences resources;

    ProbeResponder(ModuleContext context, ResourcePresences resources) {
        this.context = context;
        this.store = context.storage().rosters();
        this.resources = resources;
    }

    /**
     * §4.3.2: an entity without a subscription to the user ("from" or "both") gets
     * {@code unsubscribed}; a subscriber gets the last presence of each available resource, or
     * nothing if none is available (the server keeps no unavailable presence across sessions).
     * A probe of an account that does not exist gets {@code unsubscribed} too, the choice (b) of
     * RFC 6121 §8.5.1 ("MUST either (a) silently ignore the stanza or (b) return a presence
     * stanza of type "unsubscribed""): the same answer as an unsubscribed prober gets, so the
     * probe does not tell whether the account exists.
     */
    void answer(EntityBareJid owner, Stanza probe, AccountWork work) {
        BareJid prober = probe.from().asBareJid();
        if (prober.equals(owner)) {
            resources.sendCurrentPresence(owner, probe.from());
            return;
        }
        // Nobody would send the probe again: a refusal of the pool is waited out, as for a broadcast.
        work.defer(() -> PoolWork.supplyPatiently(() -> store.contact(owner, prober), context.blocking(),
                        PresenceBroadcaster.READ_ATTEMPTS, PresenceBroadcaster.FIRST_PAUSE, context::after)
                .thenAccept(contact -> {
            boolean subscribed = contact.item().map(item -> item.subscription().hasFrom()).orElse(false);
            if (subscribed) {
                resources.sendCurrentPresence(owner, probe.from());
            } else {
                context.send(new Stanza(PresenceStanzas.create(owner, prober, "unsubscribed"), owner, prober));
            }
        })).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("cannot answer the probe of {} to {}", probe.from(), owner, failure);
            }
        });
    }
}
