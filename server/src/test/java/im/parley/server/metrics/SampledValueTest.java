package im.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A sampled figure: read at once from the last sample, counted again off the reading thread, at
 * most once per interval however often it is read.
 */
class SampledValueTest {

    private final Queue<Runnable> blocking = new ArrayDeque<>();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicLong rows = new AtomicLong(7);
    private final AtomicLong queries = new AtomicLong();
    private final SampledValue value = new SampledValue(() -> {
        queries.incrementAndGet();
        return rows.get();
    }, blocking::add, clock, Duration.ofMinutes(1));

    @Test
    void theFirstReadStartsASampleAndReturnsAtOnce() {
        assertThat(value.get()).isNaN();
        assertThat(queries).hasValue(0);
        assertThat(blocking).hasSize(1);
        blocking.poll().run();
        assertThat(value.get()).isEqualTo(7.0);
    }

    @Test
    void readsWithinTheIntervalAskNothingAndOneSampleRunsAtATime() {
        value.get();
        value.get();
        assertThat(blocking).hasSize(1);
        blocking.poll().run();
        rows.set(9);
        clock.advance(Duration.ofSeconds(59));
        assertThat(value.get()).isEqualTo(7.0);
        assertThat(blocking).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(value.get()).isEqualTo(7.0);
        blocking.poll().run();
        assertThat(value.get()).isEqualTo(9.0);
        assertThat(queries).hasValue(2);
    }

    @Test
    void itsGaugeKeepsItWhenNothingElseDoes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SampledValue(() -> 5, Runnable::run, clock, Duration.ofMinutes(1))
                .register(registry, "rows", "rows", JidCreate.domainBareFromOrThrowUnchecked("parley.test"));
        System.gc();
        assertThat(registry.get("rows").gauge().value()).isEqualTo(5.0);
    }

    @Test
    void aFailedSampleKeepsTheLastValue() {
        SampledValue failing = new SampledValue(() -> {
            throw new IllegalStateException("database down");
        }, blocking::add, clock, Duration.ofMinutes(1));
        failing.get();
        blocking.poll().run();
        assertThat(failing.get()).isNaN();
    }
}
