package im.parley.sdk;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Hands what a {@link BoshSession} received to its {@link BoshSession.Listener}: the responses in
 * {@code rid} order (XEP-0124 §14.2), then the end of the session, reported once. One thread
 * delivers at a time, so the listener is called one call at a time, in order.
 */
final class BoshDelivery {

    /** The end of the session, delivered to the listener after the responses before it. */
    private record Ending(Exception cause) {
    }

    /** The session's monitor: what is ready changes with the session's state, under one lock. */
    private final Object lock;
    private final BoshSession.Listener listener;
    /** Ends the session, under its monitor, when the listener cannot take a response. */
    private final Consumer<Exception> endSession;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    // Guarded by lock.
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private boolean delivering;
    private boolean endReported;

    BoshDelivery(Object lock, BoshSession.Listener listener, Consumer<Exception> endSession) {
        this.lock = lock;
        this.listener = listener;
        this.endSession = endSession;
    }

    /** Completes once the session is over and the listener was told, or was not to be told. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void add(BoshResponse response) {
        ready.add(response);
    }

    /** The session is over; {@code cause} is null when it ended as the client asked. */
    void end(Exception cause) {
        ready.add(new Ending(cause));
    }

    void clear() {
        ready.clear();
    }

    /** The listener is not to hear of the end. */
    void silence() {
        endReported = true;
    }

    /** Whether the caller is to {@link #deliver()}: something is ready and no other thread delivers it. */
    boolean claim() {
        boolean deliver = !delivering && !ready.isEmpty();
        delivering |= deliver;
        return deliver;
    }

    /** Calls the listener with what is ready, one item at a time, until nothing is left. */
    void deliver() {
        while (true) {
            Object next;
            synchronized (lock) {
                next = ready.poll();
                if (next == null) {
                    delivering = false;
                    return;
                }
            }
            if (next instanceof BoshResponse response) {
                try {
                    listener.received(response);
                } catch (Exception e) {
                    // A payload the connection cannot take (a stream error, unparsable XML) ends the session.
                    report(e);
                    synchronized (lock) {
                        ready.clear();
                        endSession.accept(e);
                    }
                }
            } else {
                report(((Ending) next).cause());
            }
        }
    }

    private void report(Exception cause) {
        synchronized (lock) {
            if (endReported) {
                return;
            }
            endReported = true;
        }
        finished.complete(null);
        listener.ended(cause);
    }
}
