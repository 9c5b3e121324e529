package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
}
