package im.parley.server.modules.last;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.LastActivityStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last Activity (XEP-0012). To the server: its uptime in seconds (§5). To an account's bare JID:
 * 0 while it has an available resource, otherwise the seconds since its last logout with the
 * status text of its last unavailable presence (§3). The logout is recorded when the account's
 * last session closes. §3 and §8 allow the answer only to entities authorized to see the
 * account's presence: the account itself and the contacts subscribed to its presence (RFC 6121
 * §3: subscription {@code from} or {@code both} in its roster); everyone else gets
 * {@code forbidden} (§3).
 *
 * <p>The module also records each login, when a session is bound (RFC 6120 §7): the last login
 * time that service administration reports (XEP-0133 §4.9). Logins are noted in memory and
 * written once a second, all in one transaction, on a thread of the module's own: a write per
 * login on the blocking pool filled it at a few thousand logins a second (docs/benchmarks.md).
 * A crash loses at most the last second's logins. With the module disabled, neither logins nor
 * logouts are recorded.
 */
public final class LastActivityModule implements XmppModule {

    public static final String NAMESPACE = "jabber:iq:last";
    private static final Logger LOG = LoggerFactory.getLogger(LastActivityModule.class);
    private static final Namespace NS = Namespace.get(NAMESPACE);

    /** How often the logins noted since the last write are written. */
    static final Duration LOGIN_WRITES = Duration.ofSeconds(1);

    private final Map<EntityFullJid, String> unavailableStatus = new ConcurrentHashMap<>();
    /** Logins not yet written, the newest per account. */
    private final Map<EntityBareJid, Instant> unwrittenLogins = new ConcurrentHashMap<>();
    private Clock clock;
    private ModuleContext context;
    private Instant started;

    @Override
    public String name() {
        return "last";
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        this.clock = moduleContext.clock();
        this.started = clock.instant();
        context.addServerFeature(NAMESPACE);
        context.handleServerIq(NAMESPACE, this::uptime);
        context.handleAccountIq(NAMESPACE, this::lastLogout);
        // Before default handling, and passing on: this only watches the client's own presence.
        context.hook(StanzaEvents.pre("presence", Shape.BARE), EventPriority.OBSERVE, event -> {
            rememberStatus(event.stanza(), event.origin());
            return Verdict.PASS;
        });
        context.hook(SessionEvents.BOUND, EventPriority.OBSERVE, session -> {
            onBound(session);
            return Verdict.PASS;
        });
        context.hook(SessionEvents.CLOSED, 0, session -> {
            onClosed(session);
            return Verdict.PASS;
        });
        // Stop hooks run last first: the repetition stops (a write going on ends) before the
        // last write of what is left.
        context.onStop(this::writeLogins);
        PeriodicTask.every(context, "last-logins-" + context.host().domain(), LOGIN_WRITES, this::writeLogins);
    }

    /** XEP-0012 §5: the seconds the server has been up; no text. */
    private CompletionStage<Element> uptime(Stanza iq) {
        if (!"get".equals(iq.type())) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST);
        }
        return CompletableFuture.completedFuture(result(iq, secondsSince(started), null));
    }

    /** XEP-0012 §3. */
    private CompletionStage<Element> lastLogout(Stanza iq) {
        if (!"get".equals(iq.type())) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST);
        }
        BareJid requester = iq.from() == null ? null : iq.from().asBareJid();
        EntityBareJid account = iq.to() == null ? (requester == null ? null : requester.asEntityBareJidIfPossible())
                : iq.to().asEntityBareJidIfPossible();
        if (account == null || requester == null) {
            return error(iq, StanzaErrorCondition.FORBIDDEN);
        }
        return PoolWork.supply(() -> {
            if (!account.equals(requester) && !sharesPresence(account, requester)) {
                return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.FORBIDDEN));
            }
            if (context.sessions().sessionsOf(account).stream().anyMatch(LocalSession::isAvailable)) {
                return result(iq, 0, null);
            }
            return context.storage().lastActivity().find(account)
                    .map(activity -> result(iq, secondsSince(activity.logoutAt()), activity.status()))
                    .orElseGet(() -> Stanzas.errorReply(iq.element(),
                            StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND, "no logout recorded yet")));
        }, context.blocking());
    }

    /** Whether {@code requester} is subscribed to {@code account}'s presence (one roster item read). Blocking. */
    private boolean sharesPresence(EntityBareJid account, BareJid requester) {
        return context.storage().rosters().contact(account, requester).item()
                .map(item -> item.subscription().hasFrom()).orElse(false);
    }

    /** The status of the client's own unavailable presence is what §3 reports after logout. */
    private void rememberStatus(Stanza stanza, LocalSession origin) {
        if (!stanza.isPresence() || stanza.to() != null) {
            return;
        }
        if ("unavailable".equals(stanza.type())) {
            String status = stanza.element().elementText("status");
            if (status != null) {
                unavailableStatus.put(origin.jid(), status);
            } else {
                unavailableStatus.remove(origin.jid());
            }
        } else if (stanza.type() == null) {
            unavailableStatus.remove(origin.jid());
        }
    }

    /** A login: the session's time, noted for the next write ({@link #writeLogins}). */
    private void onBound(LocalSession session) {
        unwrittenLogins.merge(session.jid().asEntityBareJid(), clock.instant(),
                (earlier, later) -> later.isAfter(earlier) ? later : earlier);
    }

    /** Writes the logins noted so far, in one transaction. Blocking: on the module's own thread. */
    void writeLogins() {
        if (unwrittenLogins.isEmpty()) {
            return;
        }
        Map<EntityBareJid, Instant> batch = new HashMap<>();
        for (EntityBareJid account : List.copyOf(unwrittenLogins.keySet())) {
            Instant at = unwrittenLogins.remove(account);
            if (at != null) {
                batch.put(account, at);
            }
        }
        try {
            context.storage().lastActivity().recordLogins(batch);
        } catch (RuntimeException e) {
            LOG.warn("cannot record {} logins", batch.size(), e);
        }
    }

    private void onClosed(LocalSession session) {
        String status = unavailableStatus.remove(session.jid());
        EntityBareJid account = session.jid().asEntityBareJid();
        if (!context.sessions().sessionsOf(account).isEmpty()) {
            return;  // another resource is still connected: the account has not logged out
        }
        Instant at = clock.instant();
        LastActivityStore store = context.storage().lastActivity();
        PoolWork.run(() -> store.recordLogout(account, at, status), context.blocking())
                .exceptionally(failure -> {
                    LOG.warn("cannot record the logout of {}", account, failure);
                    return null;
                });
    }

    private long secondsSince(Instant then) {
        return Math.max(0, Duration.between(then, clock.instant()).getSeconds());
    }

    private static Element result(Stanza iq, long seconds, String text) {
        Element result = Stanzas.iqResult(iq.element());
        Element query = result.addElement(QName.get("query", NS));
        query.addAttribute("seconds", Long.toString(seconds));
        if (text != null && !text.isEmpty()) {
            query.setText(text);
        }
        return result;
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition) {
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(), StanzaError.of(condition)));
    }
}
