package im.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocking pool's bound and its meters: a task past the queue's capacity is refused (its
 * sender gets a temporary error, see PoolWork), and operators see the queue and the refusals
 * (docs/operations.md, {@code parley_blocking_queued_tasks}, {@code parley_blocking_refused_tasks_total}).
 */
class BlockingExecutorTest {

    @Test
    void aTaskPastTheQueueIsRefusedAndCounted() throws Exception {
        ThreadPoolExecutor pool = BlockingExecutor.create(1, 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BlockingExecutor.meter(pool, registry);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            pool.execute(() -> { });
            pool.execute(() -> { });

            assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("full");

            assertThat(registry.get(BlockingExecutor.QUEUED).gauge().value()).isEqualTo(2.0);
            assertThat(registry.get(BlockingExecutor.REFUSED).functionCounter().count()).isEqualTo(1.0);
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.execute(() -> { })).hasMessageContaining("stopping");
        assertThat(registry.get(BlockingExecutor.REFUSED).functionCounter().count()).isEqualTo(2.0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
