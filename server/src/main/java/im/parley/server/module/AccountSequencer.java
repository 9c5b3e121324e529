package im.parley.server.module;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;

/**
 * Runs asynchronous steps for one account one after the other, whoever starts them (a roster
 * set from one resource, a subscription from a contact, ...), so that changes and the pushes
 * they cause reach clients in the order they were made (RFC 6121 §2.1.6, §2.6). Steps of
 * different accounts run independently. Nothing is kept for accounts with no step in flight.
 */
public final class AccountSequencer {

    private final Map<EntityBareJid, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** Starts {@code step} once every earlier step of {@code account} has finished. */
    public <T> CompletionStage<T> serially(EntityBareJid account, Supplier<? extends CompletionStage<T>> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        // An atomic swap, and the step runs outside the map: a step may start further steps
        // for the same account (they queue behind it) without re-entering the map's locks.
        CompletableFuture<Void> previous = tails.put(account, mine);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous).whenComplete((ignored, failure) ->
                start(step).whenComplete((value, error) -> {
                    // Unregistered only if nothing queued behind it; the step's own result is
                    // handed out before the next step starts.
                    tails.remove(account, mine);
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                    mine.complete(null);
                }));
        return result;
    }

    private static <T> CompletionStage<T> start(Supplier<? extends CompletionStage<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** True if a step of {@code account} is running or waiting. */
    public boolean isBusy(EntityBareJid account) {
        return tails.containsKey(account);
    }

    /**
     * Waits until no account has a step in flight (steps started meanwhile included), or until
     * {@code deadlineNanos} ({@link System#nanoTime()}); true if none is left. A stopping server
     * calls it before its blocking executor stops, so that a step still queued in an account's
     * turn (a message on its way to offline storage) is not refused by a stopped executor.
     * Blocks.
     */
    public boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (!tails.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            CompletableFuture<?>[] waiting = tails.values().toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(waiting).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // A step's own outcome is its caller's; its turn is over all the same.
            }
        }
        return true;
    }

    /** Accounts with steps in flight (for tests and metrics). */
    public int accountsInFlight() {
        return tails.size();
    }
}
