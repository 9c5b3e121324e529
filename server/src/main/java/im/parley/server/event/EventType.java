package im.parley.server.event;

import java.util.Objects;

/**
 * A typed event key (DESIGN.md "EventBus"): handlers for it receive events of type {@code E}.
 * Compared by identity: declare each as a constant.
 *
 * @param <E> the event payload type
 */
public final class EventType<E> {

    private final String name;

    private EventType(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public static <E> EventType<E> named(String name) {
        return new EventType<>(name);
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
