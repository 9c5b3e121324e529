package im.parley.server.module;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a module repeats on a thread of its own (a purge of what expired), never on an event loop
 * or the blocking pool: the first run one {@code period} after loading, each next one a period
 * after the last ended; stopped with the server. A run that fails is logged and the next one
 * runs as planned (a scheduled executor would silently stop repeating a task that threw). A run
 * going on when the server stops is let finish, not interrupted: these runs write to the
 * database, and an interrupt during a write of the embedded one closes its file channel, and the
 * store with it, under the writes that still come while the server stops.
 */
public final class PeriodicTask {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);
    /** How long a stop waits for a run that has started to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private PeriodicTask() {
    }

    /** Runs {@code task} every {@code period} on a daemon thread named {@code threadName}. */
    public static void every(ModuleContext context, String threadName, Duration period, Runnable task) {
        context.onStop(start(threadName, period, task));
    }

    /** Starts the repetition; stopped by closing what is returned. */
    static AutoCloseable start(String threadName, Duration period, Runnable task) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, threadName);
            named.setDaemon(true);
            return named;
        });
        long millis = period.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: this run failed; the next one comes in {}", threadName, period, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return () -> stop(thread, threadName);
    }

    /** No more runs; waits for one going on, without interrupting it. */
    private static void stop(ScheduledExecutorService thread, String threadName) throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("{}: a run still goes on after {}; the server stops without it", threadName, STOP_WAIT);
        }
    }
}
