package im.parley.server.modules.sm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0198 §4's {@code h} on the server side: the number of stanzas handled from the client,
 * where a stanza counts only once its handling is complete (its effect is durable: stored, or
 * written to the recipient's connection) and only after every stanza received before it. The
 * client forgets what the server acknowledges, so counting a stanza whose storage is still on its
 * way would lose it in a crash. Thread-safe.
 */
final class InboundCount {

    /** Someone waiting until every stanza received before a point was handled. */
    private record Waiter(long received, CompletableFuture<Long> handled) {
    }

    private final Deque<CompletionStage<?>> pending = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    /** Counts since {@code <enable/>}, not wrapped; {@link #handled()} wraps. */
    private long received;
    private long handled;

    /** A stanza was received; it counts once {@code handling} completes and everything before it did. */
    void received(CompletionStage<?> handling) {
        synchronized (this) {
            received++;
            if (pending.isEmpty() && handling.toCompletableFuture().isDone()) {
                handled++;
                return;
            }
            pending.addLast(handling);
        }
        handling.whenComplete((result, failure) -> advance());
    }

    /** {@code h}: modulo 2^32 (§4). */
    synchronized long handled() {
        return handled % SequenceNumbers.MODULUS;
    }

    /**
     * Completes with {@code h} once every stanza received so far was handled: the answer to an
     * {@code <r/>} (§4) then acknowledges everything the client sent before asking.
     */
    CompletionStage<Long> handledSoFar() {
        synchronized (this) {
            if (handled == received) {
                return CompletableFuture.completedFuture(handled());
            }
            Waiter waiter = new Waiter(received, new CompletableFuture<>());
            waiters.add(waiter);
            return waiter.handled();
        }
    }

    private void advance() {
        List<Waiter> ready = new ArrayList<>();
        long h;
        synchronized (this) {
            while (!pending.isEmpty() && pending.peekFirst().toCompletableFuture().isDone()) {
                pending.pollFirst();
                handled++;
            }
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (handled >= waiter.received()) {
                    ready.add(waiter);
                    it.remove();
                }
            }
            h = handled();
        }
        for (Waiter waiter : ready) {
            waiter.handled().complete(h);
        }
    }
}
