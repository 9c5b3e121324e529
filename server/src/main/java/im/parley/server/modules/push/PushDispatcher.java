package im.parley.server.modules.push;

import im.parley.server.storage.PushRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Bookkeeping of notifications sent to app servers: which publish request is unanswered (by IQ
 * id), the burst limit (while one is unanswered, no other goes to the same registration for
 * {@code minInterval}), and consecutive failures per registration. Thread-safe; never blocks.
 */
final class PushDispatcher {

    /** A registration of an account: the unit of throttling and failure counting. */
    record Target(EntityBareJid owner, Jid appServer, String node) {

        static Target of(EntityBareJid owner, PushRegistration registration) {
            return new Target(owner, registration.appServer(), registration.node());
        }
    }

    /** What became of an answer from an app server. */
    enum Outcome { SUCCESS, FAILURE, REMOVE }

    private static final class State {
        String pendingId;
        Instant sentAt;
        int failures;
    }

    private final Clock clock;
    private final Duration minInterval;
    private final int maxErrors;
    private final Map<Target, State> states = new HashMap<>();
    private final Map<String, Target> pending = new HashMap<>();
    private long counter;

    PushDispatcher(Clock clock, Duration minInterval, int maxErrors) {
        this.clock = clock;
        this.minInterval = minInterval;
        this.maxErrors = maxErrors;
    }

    /**
     * Returns the id for a new publish request to the target, or empty when one is still
     * unanswered and was sent less than {@code minInterval} ago (a burst of messages wakes the
     * device once).
     */
    synchronized Optional<String> begin(Target target) {
        State state = states.computeIfAbsent(target, t -> new State());
        Instant now = clock.instant();
        if (state.pendingId != null && now.isBefore(state.sentAt.plus(minInterval))) {
            return Optional.empty();
        }
        if (state.pendingId != null) {
            pending.remove(state.pendingId);
        }
        String id = "push-" + Long.toHexString(now.toEpochMilli()) + "-" + (++counter);
        state.pendingId = id;
        state.sentAt = now;
        pending.put(id, target);
        return Optional.of(id);
    }

    /** The target of an unanswered request with this id from this JID, or empty. */
    synchronized Optional<Target> pendingFrom(String id, Jid from) {
        Target target = id == null ? null : pending.get(id);
        return target != null && target.appServer().equals(from) ? Optional.of(target) : Optional.empty();
    }

    /** Records a {@code result}: the failure count starts again. */
    synchronized Outcome succeeded(String id) {
        Target target = pending.remove(id);
        State state = target == null ? null : states.get(target);
        if (state != null) {
            state.pendingId = null;
            state.failures = 0;
        }
        return Outcome.SUCCESS;
    }

    /** Records an {@code error}; says whether the registration must go. */
    synchronized Outcome failed(String id, PushFailure failure) {
        Target target = pending.remove(id);
        State state = target == null ? null : states.get(target);
        if (state == null) {
            return Outcome.FAILURE;
        }
        state.pendingId = null;
        if (failure == PushFailure.REMOVE) {
            return Outcome.REMOVE;
        }
        if (failure == PushFailure.COUNTED && ++state.failures >= maxErrors) {
            return Outcome.REMOVE;
        }
        return Outcome.FAILURE;
    }

    /** Forgets a registration (disabled or removed). */
    synchronized void forget(Target target) {
        State state = states.remove(target);
        if (state != null && state.pendingId != null) {
            pending.remove(state.pendingId);
        }
    }

    /** Forgets every registration of the app server for the account (XEP-0357 §6 without node). */
    synchronized void forgetAll(EntityBareJid owner, Jid appServer) {
        states.keySet().stream().filter(t -> t.owner().equals(owner) && t.appServer().equals(appServer))
                .toList().forEach(this::forget);
    }
}
