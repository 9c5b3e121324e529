package im.parley.server.testing;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A blocking pool for {@link TestServer} that runs each task inline, as the default does, except
 * the ones the test makes it refuse, as a full (or stopping) pool would.
 */
public final class InlinePool implements Executor {

    private int runFirst;
    private int refusals;

    /** The next {@code tasks} tasks handed over are refused with a {@link RejectedExecutionException}. */
    public void refuseNext(int tasks) {
        refuse(0, tasks);
    }

    /** The next {@code runFirst} tasks run; the {@code tasks} after them are refused. */
    public synchronized void refuse(int runFirst, int tasks) {
        this.runFirst = runFirst;
        this.refusals = tasks;
    }

    @Override
    public void execute(Runnable task) {
        if (refuses()) {
            throw new RejectedExecutionException("the blocking pool is full");
        }
        task.run();
    }

    private synchronized boolean refuses() {
        if (runFirst > 0) {
            runFirst--;
            return false;
        }
        if (refusals > 0) {
            refusals--;
            return true;
        }
        return false;
    }
}
