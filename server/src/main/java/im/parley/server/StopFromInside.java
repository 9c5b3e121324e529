package im.parley.server;

import im.parley.server.module.ServerControl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ParleyServer}'s {@link ServerControl}: a stop waits on the JDK's delay scheduler (no
 * thread of the server's waits), then runs the server's stop action on a thread of its own, since
 * that action waits for the server's threads to finish.
 */
final class StopFromInside implements ServerControl {

    private static final Logger LOG = LoggerFactory.getLogger(StopFromInside.class);

    private final Supplier<Runnable> action;

    /** @param action what stopping does, read when the delay has passed ({@link ParleyServer#onStopRequested}) */
    StopFromInside(Supplier<Runnable> action) {
        this.action = action;
    }

    @Override
    public boolean canStop() {
        return true;
    }

    @Override
    public void stopAfter(Duration delay) {
        LOG.warn("an administrator stops the server in {} s", delay.toSeconds());
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, Runnable::run)
                .execute(() -> new Thread(action.get(), "parley-stop").start());
    }
}
