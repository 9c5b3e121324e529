package im.parley.server.module;

import im.parley.core.stream.StanzaErrorCondition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
