package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    /** A purge that fails once (a database briefly away) runs again at its next period. */
    @Test
    void aRunThatFailsDoesNotEndTheRepetition() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AutoCloseable stop = PeriodicTask.start("periodic-task-test", Duration.ofMillis(20), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the first run fails");
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        } finally {
            stop.close();
        }
    }

    @Test
    void closingStopsIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AutoCloseable stop = PeriodicTask.start("periodic-task-test", Duration.ofMillis(10), runs::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 1);
        stop.close();
        int afterStop = runs.get();
        // A run that had started when it was stopped may still end; none starts after it.
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() <= afterStop + 1);
        assertThat(runs.get()).isLessThanOrEqualTo(afterStop + 1);
    }

    /**
     * A run going on when the server stops (a purge writing to the database) ends as it would
     * have: the stop waits for it and does not interrupt it, since an interrupt during a write to
     * the embedded database closes the store.
     */
    @Test
    void stoppingWaitsForARunGoingOnWithoutInterruptingIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        AutoCloseable stop = PeriodicTask.start("periodic-task-test", Duration.ofMillis(10), () -> {
            if (running.getCount() == 0) {
                return;
            }
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.set(true);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                stop.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
        release.countDown();
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(interrupted).isFalse();
        assertThat(finished).isTrue();
    }
}
