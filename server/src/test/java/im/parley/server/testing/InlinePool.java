package im.parley.server.testing;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking pool for {@link TestServer} that runs each task inline, as the default does, except
 * the ones the test makes it refuse, as a full (or stopping) pool would.
 */
public final class InlinePool implements Executor {

    private final AtomicInteger refusals = new AtomicInteger();

    /** The next {@code tasks} tasks handed over are refused with a {@link RejectedExecutionException}. */
    public void refuseNext(int tasks) {
        refusals.set(tasks);
    }

    @Override
    public void execute(Runnable task) {
        if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new RejectedExecutionException("the blocking pool is full");
        }
        task.run();
    }
}
