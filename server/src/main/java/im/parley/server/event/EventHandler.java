package im.parley.server.event;

/** Handles one event and says whether later handlers still see it. Never blocks. */
@FunctionalInterface
public interface EventHandler<E> {

    Verdict handle(E event);
}
