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
 * handlers run from the highest priority down until one returns {@link Verdict#HANDLED}.
 * Registration happens at start-up; firing is lock-free (handler lists are copied on write).
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
     * Fires the event. Returns {@code true} if a handler handled it. A handler that throws is
     * logged and skipped: one faulty module must not stop stanza delivery.
     */
    @SuppressWarnings("unchecked")
    public <E> boolean fire(EventType<E> type, E event) {
        for (Registration<?> registration : handlers.getOrDefault(type, List.of())) {
            try {
                if (((EventHandler<E>) registration.handler()).handle(event) == Verdict.HANDLED) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.error("handler for {} failed on {}", type, event, e);
            }
        }
        return false;
    }

    /** True if anyone listens to this event type. */
    public boolean hasHandlers(EventType<?> type) {
        return !handlers.getOrDefault(type, List.of()).isEmpty();
    }
}
