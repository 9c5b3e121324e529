package im.parley.core.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far the handling of one stanza has got. The router and the modules {@linkplain #track
 * register} the asynchronous work a stanza starts (storing it offline, a roster change, a
 * delivery queued behind an account's earlier steps); {@link #completion()} completes once the
 * synchronous part has {@linkplain #end ended} and every piece of tracked work has finished,
 * whether it succeeded or failed (a failure is answered with an error to the sender, which is
 * handling too).
 *
 * <p>XEP-0198 §4 counts a client's stanza as handled only then: what a server acknowledges must
 * survive a crash, because the client forgets it. Work may register further work while it runs
 * (a stored subscription request routes the contact's reply): the handling stays open until the
 * last piece finishes. Thread-safe.
 */
public final class Handling {

    private static final Handling NONE = new Handling(0);

    private final AtomicInteger open;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    private Handling(int open) {
        this.open = new AtomicInteger(open);
        if (open == 0) {
            completion.complete(null);
        }
    }

    /** A handling whose synchronous part is running: call {@link #end()} when it returns. */
    public static Handling begin() {
        return new Handling(1);
    }

    /** For stanzas no one waits for (the server's own): tracks nothing. */
    public static Handling none() {
        return NONE;
    }

    /**
     * Counts {@code work} as part of this stanza's handling and returns it. Work registered after
     * the handling completed (by a module that kept the handling beyond the work it tracked) no
     * longer delays it.
     */
    public <T> CompletionStage<T> track(CompletionStage<T> work) {
        int current;
        do {
            current = open.get();
            if (current == 0) {
                return work;
            }
        } while (!open.compareAndSet(current, current + 1));
        work.whenComplete((result, failure) -> release());
        return work;
    }

    /** The synchronous part of the handling is over. */
    public void end() {
        if (this != NONE) {
            release();
        }
    }

    /** Completes when the handling is over. */
    public CompletionStage<Void> completion() {
        return completion;
    }

    public boolean isComplete() {
        return completion.isDone();
    }

    private void release() {
        if (open.decrementAndGet() == 0) {
            completion.complete(null);
        }
    }
}
