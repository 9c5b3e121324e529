package im.parley.server.event;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What an event handler did: {@link #HANDLED} stops the event, {@link #PASS} lets the next
 * handler see it, and {@link #suspend} holds the event until the handler can tell (an
 * asynchronous lookup such as loading a block list): the rest of the chain, and the default
 * action after it, run when the handler resumes it, without firing the event again.
 */
public final class Verdict {

    /** The event is dealt with: no later handler, no default action. */
    public static final Verdict HANDLED = new Verdict("HANDLED", null);
    /** The next handler sees the event. */
    public static final Verdict PASS = new Verdict("PASS", null);

    /** Continues a suspended event. */
    @FunctionalInterface
    public interface Continuation {

        /**
         * Continues the event on the calling thread with the handler's decision: {@link #PASS}
         * runs the next handlers (and the default action), {@link #HANDLED} ends it. Call once.
         */
        void resume(Verdict decision);
    }

    private final String name;
    private final Consumer<Continuation> onSuspended;

    private Verdict(String name, Consumer<Continuation> onSuspended) {
        this.name = name;
        this.onSuspended = onSuspended;
    }

    /**
     * Holds the event: {@code onSuspended} gets the continuation once the bus has stopped the
     * chain, and resumes it when the handler knows its answer. Nothing of the event runs
     * meanwhile; the handler is responsible for keeping later events in order behind it.
     */
    public static Verdict suspend(Consumer<Continuation> onSuspended) {
        return new Verdict("SUSPENDED", Objects.requireNonNull(onSuspended, "onSuspended"));
    }

    boolean isSuspended() {
        return onSuspended != null;
    }

    void suspended(Continuation continuation) {
        onSuspended.accept(continuation);
    }

    @Override
    public String toString() {
        return name;
    }
}
