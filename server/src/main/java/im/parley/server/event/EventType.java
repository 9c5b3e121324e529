package im.parley.server.event;

import java.util.Objects;

/**
 * A typed event key (DESIGN.md "EventBus"): handlers for it receive events of type {@code E}.
 * Two keys with the same name are the same key, so addressed events can be named when they are
 * needed ({@code iq-get/host/urn:xmpp:ping}, see {@link StanzaEvents}); a name is therefore
 * used with one payload type only.
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
    public boolean equals(Object other) {
        return other instanceof EventType<?> type && type.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
