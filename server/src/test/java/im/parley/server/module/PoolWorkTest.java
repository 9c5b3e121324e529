package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.StanzaErrorCondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Work handed to the blocking pool: a refusal reaches the handlers chained to its result. */
class PoolWorkTest {

    private static final Executor REFUSING = task -> {
        throw new RejectedExecutionException("the blocking pool is full");
    };

    @Test
    void aRefusedTaskFailsItsFutureInsteadOfThrowingToTheCaller() {
        AtomicReference<Throwable> seen = new AtomicReference<>();

        PoolWork.supply(() -> "never", REFUSING).whenComplete((value, failure) -> seen.set(failure));

        assertThat(seen.get()).isInstanceOf(RejectedExecutionException.class);
        assertThat(PoolWork.refused(seen.get())).isTrue();
        assertThat(PoolWork.run(() -> { }, REFUSING)).isCompletedExceptionally();
    }

    @Test
    void aRefusalSeenThroughLaterStagesIsStillARefusal() {
        CompletableFuture<String> later = PoolWork.supply(() -> "never", REFUSING).thenApply(value -> value + "!");
        Throwable failure = later.handle((value, thrown) -> thrown).join();

        // RFC 6120 §8.3.3.18: a temporary overload, resource-constraint (wait).
        assertThat(PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                .isEqualTo(StanzaErrorCondition.RESOURCE_CONSTRAINT);
    }

    @Test
    void patientWorkIsHandedOverAgainAfterEachRefusalWithLongerPauses() {
        AtomicInteger offered = new AtomicInteger();
        Executor refusesTwice = task -> {
            if (offered.incrementAndGet() <= 2) {
                throw new RejectedExecutionException("the blocking pool is full");
            }
            task.run();
        };
        List<Duration> pauses = new ArrayList<>();

        CompletableFuture<String> done = PoolWork.supplyPatiently(() -> "read", refusesTwice, 5, Duration.ofMillis(50),
                pause -> {
                    pauses.add(pause);
                    return Runnable::run;
                });

        assertThat(done.join()).isEqualTo("read");
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void patientWorkGivesUpAfterItsAttemptsAndNeverRetriesOtherFailures() {
        AtomicInteger offered = new AtomicInteger();
        Executor refusing = task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("the blocking pool is full");
        };

        Throwable refused = PoolWork.supplyPatiently(() -> "never", refusing, 3, Duration.ofMillis(1), pause -> Runnable::run)
                .handle((value, thrown) -> thrown).join();

        assertThat(offered).hasValue(3);
        assertThat(PoolWork.refused(refused)).isTrue();

        AtomicInteger tried = new AtomicInteger();
        Throwable broken = PoolWork.supplyPatiently(() -> {
            tried.incrementAndGet();
            throw new IllegalStateException("storage is down");
        }, Runnable::run, 3, Duration.ofMillis(1), pause -> Runnable::run).handle((value, thrown) -> thrown).join();

        assertThat(tried).hasValue(1);
        assertThat(PoolWork.refused(broken)).isFalse();
    }

    @Test
    void otherFailuresKeepTheirOwnError() {
        CompletableFuture<String> failed = PoolWork.supply(() -> {
            throw new IllegalStateException("storage is down");
        }, Runnable::run);
        Throwable failure = failed.handle((value, thrown) -> thrown).join();

        assertThat(PoolWork.refused(failure)).isFalse();
        assertThat(PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                .isEqualTo(StanzaErrorCondition.INTERNAL_SERVER_ERROR);
        assertThat(PoolWork.supply(() -> "done", Runnable::run).join()).isEqualTo("done");
    }
}
