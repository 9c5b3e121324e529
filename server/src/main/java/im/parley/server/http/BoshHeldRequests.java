package im.parley.server.http;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The HTTP requests a BOSH session holds for its responses, oldest first (XEP-0124 §7
 * {@code hold}, §11). Each stays until the session answers it, its {@code wait} runs out with
 * nothing to send (§8), or its connection closes, when output waits for the next request.
 * A request leaves with its timer stopped and its connection no longer watched.
 */
final class BoshHeldRequests {

    /** A request waiting for its response; {@code cancelWait} is null until its 'wait' timer runs. */
    private static final class Held {
        BoshRequest request;
        Runnable cancelWait;
        GenericFutureListener<Future<? super Void>> closeListener;

        Held(BoshRequest request) {
            this.request = request;
        }

        /** Stops the 'wait' timer and stops watching the connection: the request is being answered. */
        void cancelWait() {
            if (cancelWait != null) {
                cancelWait.run();
                cancelWait = null;
            }
            if (closeListener != null) {
                request.channel().closeFuture().removeListener(closeListener);
                closeListener = null;
            }
        }
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final Executor loop;
    private final BoshScheduler scheduler;
    private final long waitMillis;
    private final Consumer<BoshRequest> waitExpired;
    private final Runnable connectionLost;

    /**
     * @param loop the session's event loop, where connection closes are handled
     * @param waitMillis the granted {@code wait}
     * @param waitExpired called with a request whose 'wait' ran out, no longer held: it needs a response (§8)
     * @param connectionLost called when a held request's connection closed and it is no longer held
     */
    BoshHeldRequests(Executor loop, BoshScheduler scheduler, long waitMillis,
                     Consumer<BoshRequest> waitExpired, Runnable connectionLost) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.waitMillis = waitMillis;
        this.waitExpired = waitExpired;
        this.connectionLost = connectionLost;
    }

    /** Holds a request as the newest; its 'wait' starts with the next {@link #armWait()}. */
    void hold(BoshRequest request) {
        Held h = new Held(request);
        held.add(h);
        watchConnection(h);
    }

    /**
     * A repeated rid of a request still held (§14.3): it is answered on the new connection
     * instead, the old one being presumably gone. False if no held request has that rid.
     */
    boolean replaceConnection(BoshRequest request) {
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.request.rid() == request.rid()) {
                h.request.channel().closeFuture().removeListener(h.closeListener);
                h.request = request;
                watchConnection(h);
                return true;
            }
        }
        return false;
    }

    /** The oldest held request, no longer held, or null if none is. */
    BoshRequest poll() {
        Held h = held.poll();
        if (h == null) {
            return null;
        }
        h.cancelWait();
        return h.request;
    }

    /** Stops holding this very request; false if it is not held. */
    boolean remove(BoshRequest request) {
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.request == request) {
                it.remove();
                h.cancelWait();
                return true;
            }
        }
        return false;
    }

    int size() {
        return held.size();
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Starts the 'wait' timer of every held request that has none running (§8). */
    void armWait() {
        for (Held h : held) {
            if (h.cancelWait == null) {
                h.cancelWait = scheduler.schedule(() -> waitExpired(h), waitMillis);
            }
        }
    }

    /** XEP-0124 §8: nothing to send within 'wait': an empty response. */
    private void waitExpired(Held h) {
        h.cancelWait = null;
        if (held.remove(h)) {
            h.cancelWait();
            waitExpired.accept(h.request);
        }
    }

    /** The HTTP connection of a held request closed before its answer: output waits for the next one. */
    private void watchConnection(Held h) {
        BoshRequest watched = h.request;
        h.closeListener = f -> loop.execute(() -> {
            // The close may be reported after the request moved to a new connection (§14.3): it
            // is answerable there, so it stays.
            if (h.request == watched && held.remove(h)) {
                h.closeListener = null;
                h.cancelWait();
                connectionLost.run();
            }
        });
        h.request.channel().closeFuture().addListener(h.closeListener);
    }
}
