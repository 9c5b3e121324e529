package im.parley.server.module;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Work a module repeats on a thread of its own (a purge of what expired), never on an event loop
 * or the blocking pool: the first run one {@code period} after loading, each next one a period
 * after the last ended; stopped with the server.
 */
public final class PeriodicTask {

    private PeriodicTask() {
    }

    /** Runs {@code task} every {@code period} on a daemon thread named {@code threadName}. */
    public static void every(ModuleContext context, String threadName, Duration period, Runnable task) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, threadName);
            named.setDaemon(true);
            return named;
        });
        long millis = period.toMillis();
        thread.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        context.onStop(thread::shutdownNow);
    }
}
