package im.parley.server;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor for blocking work (JDBC, PBKDF2), kept off the event loops. */
final class BlockingExecutor {

    private BlockingExecutor() {
    }

    /**
     * A pool grows past its core size only when its queue is full, so core and maximum are the
     * same here; idle threads time out.
     */
    static ThreadPoolExecutor create() {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "parley-blocking-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
