package im.parley.server.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed events with prioritised handlers (STYLE.md #2 and #3, after Prosody's util.events):
 * handlers run from the highest priority down until one returns {@link Verdict#HANDLED}; one
 * that needs an asynchronous answer suspends the event and resumes it later
 * ({@link Verdict#suspend}). Registration happens at start-up; firing is lock-free (handler lists
 * are copied on write).
 */
public final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private record Registration<E>(int priority, long order, EventHandler<E> handler) {
    }

    private final Map<EventType<?>, List<Registration<?>>> handlers = new ConcurrentHashMap<>();
    private long registrations;

    /** Adds a handler; higher priorities run first, equal priorities in registration order. */
    public synchronized <E> void hook(EventType<E> type, int priority, EventHandler<E> handler) {
        List<Registration<?>> list = new ArrayList<>(handlers.getOrDefault(type, List.of()));
        list.add(new Registration<>(priority, registrations++, handler));
        list.sort(Comparator.comparingInt((Registration<?> r) -> -r.priority()).thenComparingLong(Registration::order));
        handlers.put(type, List.copyOf(list));
    }

    /**
     * Fires the event. Returns {@code true} if a handler handled it, or suspended it (its
     * default action, if any, is the caller's: use {@link #fire(EventType, Object, Runnable)}
     * where a suspended event must still reach it). A handler that throws is logged and skipped:
     * one faulty module must not stop stanza delivery.
     */
    public <E> boolean fire(EventType<E> type, E event) {
        boolean[] unhandled = {false};
        fire(type, event, () -> unhandled[0] = true);
        return !unhandled[0];
    }

    /**
     * Fires the event and runs {@code unhandled} if no handler handles it, now or, when a
     * handler suspends the event ({@link Verdict#suspend}), when that handler resumes it.
     */
    public <E> void fire(EventType<E> type, E event, Runnable unhandled) {
        new Chain<>(type, event, handlers.getOrDefault(type, List.of()), unhandled).runFrom(0);
    }

    /** One firing of an event: where its handlers are, so a suspended one can go on from there. */
    private static final class Chain<E> implements Verdict.Continuation {
        private final EventType<E> type;
        private final E event;
        private final List<Registration<?>> registrations;
        private final Runnable unhandled;
        private int next;
        private boolean suspended;

        Chain(EventType<E> type, E event, List<Registration<?>> registrations, Runnable unhandled) {
            this.type = type;
            this.event = event;
            this.registrations = registrations;
            this.unhandled = unhandled;
        }

        @SuppressWarnings("unchecked")
        void runFrom(int index) {
            for (int i = index; i < registrations.size(); i++) {
                Verdict verdict;
                try {
                    verdict = ((EventHandler<E>) registrations.get(i).handler()).handle(event);
                } catch (RuntimeException e) {
                    LOG.error("handler for {} failed on {}", type, event, e);
                    continue;
                }
                if (verdict == Verdict.HANDLED) {
                    return;
                }
                if (verdict.isSuspended()) {
                    next = i + 1;
                    suspended = true;
                    verdict.suspended(this);
                    return;
                }
            }
            unhandled.run();
        }

        @Override
        public synchronized void resume(Verdict decision) {
            if (!suspended) {
                throw new IllegalStateException(type + " was resumed twice, or never suspended");
            }
            if (decision != Verdict.HANDLED && decision != Verdict.PASS) {
                throw new IllegalArgumentException("resume with HANDLED or PASS, not " + decision);
            }
            suspended = false;
            if (decision == Verdict.PASS) {
                runFrom(next);
            }
        }
    }

    /** True if anyone listens to this event type. */
    public boolean hasHandlers(EventType<?> type) {
        return !handlers.getOrDefault(type, List.of()).isEmpty();
    }
}
