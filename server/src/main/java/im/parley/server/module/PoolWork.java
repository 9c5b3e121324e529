package im.parley.server.module;

import im.parley.core.stream.StanzaErrorCondition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work for the blocking pool ({@link ModuleContext#blocking()}) as a future that never throws
 * when it is handed over: a pool that refuses the task (its queue full, or the server stopping)
 * gives a future failed with the {@link RejectedExecutionException}, so what reacts to the result
 * (an answer, an event's resumption) runs either way. {@code CompletableFuture.supplyAsync}
 * throws the refusal to its caller instead, past any handler chained to its result.
 */
public final class PoolWork {

    private PoolWork() {
    }

    /** {@code work} run on {@code pool}; its result, its failure, or the pool's refusal. */
    public static <T> CompletableFuture<T> supply(Supplier<T> work, Executor pool) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * {@code work} run on {@code pool}, handed over again after a pause each time the pool
     * refuses it, {@code attempts} times at most in all, each pause twice the one before from
     * {@code firstPause}, waited out by {@code after} ({@link ModuleContext#after}), never on the
     * caller's thread: for work nobody can be asked to send again, such as a presence broadcast
     * at the end of a session (a full queue is a moment's overload, and a broadcast lost leaves
     * contacts with a wrong presence until the next one). Any other failure, or the last
     * refusal, fails the future.
     */
    public static <T> CompletableFuture<T> supplyPatiently(Supplier<T> work, Executor pool, int attempts,
                                                           Duration firstPause, Function<Duration, Executor> after) {
        return supply(work, pool).exceptionallyCompose(failure -> {
            if (attempts <= 1 || !refused(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.runAsync(() -> { }, after.apply(firstPause))
                    .thenCompose(paused -> supplyPatiently(work, pool, attempts - 1, firstPause.multipliedBy(2), after));
        });
    }

    /** {@code work} run on {@code pool}; done when it is, or failed with its failure or the pool's refusal. */
    public static CompletableFuture<Void> run(Runnable work, Executor pool) {
        try {
            return CompletableFuture.runAsync(work, pool);
        } catch (RejectedExecutionException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * The stanza error for work that failed with {@code failure}: {@code resource-constraint}
     * (type {@code wait}, RFC 6120 §8.3.3.18: the sender may try again) for the pool's refusal,
     * a temporary overload; {@code otherwise} for any other failure.
     */
    public static StanzaErrorCondition errorFor(Throwable failure, StanzaErrorCondition otherwise) {
        return refused(failure) ? StanzaErrorCondition.RESOURCE_CONSTRAINT : otherwise;
    }

    /** Whether {@code failure}, as a stage chained to a {@link #supply} result sees it, is the pool's refusal. */
    public static boolean refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RejectedExecutionException;
    }
}
