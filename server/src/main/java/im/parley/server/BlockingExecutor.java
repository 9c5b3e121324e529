package im.parley.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The executor for blocking work (JDBC, PBKDF2), kept off the event loops. */
final class BlockingExecutor {

    /** Tasks that may wait for a thread; one more is refused (a temporary error for its stanza). */
    static final int QUEUE_CAPACITY = 10_000;
    static final String QUEUED = "parley.blocking.queued.tasks";
    static final String REFUSED = "parley.blocking.refused.tasks";

    private BlockingExecutor() {
    }

    /**
     * A pool grows past its core size only when its queue is full, so core and maximum are the
     * same here; idle threads time out.
     */
    static ThreadPoolExecutor create() {
        return create(Math.max(4, Runtime.getRuntime().availableProcessors() * 2), QUEUE_CAPACITY);
    }

    static ThreadPoolExecutor create(int threads, int queueCapacity) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "parley-blocking-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new Refusals(queueCapacity));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The pool's meters (docs/operations.md): tasks waiting for a thread, and tasks refused since
     * the start (the queue full, or the server stopping), each answered with a temporary error.
     */
    static void meter(ThreadPoolExecutor executor, MeterRegistry registry) {
        Gauge.builder(QUEUED, executor, pool -> pool.getQueue().size())
                .description("Blocking tasks (storage, password hashing) waiting for a thread").register(registry);
        FunctionCounter.builder(REFUSED, executor, BlockingExecutor::refused)
                .description("Blocking tasks refused: the queue was full, or the server was stopping").register(registry);
    }

    /** How many tasks {@code executor}, made here, has refused since it started. */
    static long refused(ThreadPoolExecutor executor) {
        return executor.getRejectedExecutionHandler() instanceof Refusals refusals ? refusals.count.get() : 0;
    }

    /**
     * Refuses a task as {@link ThreadPoolExecutor.AbortPolicy} does (whoever handed it over
     * answers: see {@code PoolWork}), and counts it for {@code parley_blocking_refused_tasks_total}.
     */
    private static final class Refusals implements RejectedExecutionHandler {
        private final int queueCapacity;
        private final AtomicLong count = new AtomicLong();

        Refusals(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        @Override
        public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
            count.incrementAndGet();
            throw new RejectedExecutionException(executor.isShutdown() ? "the blocking pool is stopping"
                    : "the blocking pool is full: " + queueCapacity + " tasks wait for its threads");
        }
    }
}
