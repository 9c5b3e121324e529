package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** XEP-0124 §10: 'inactivity', and 'pause' up to 'maxpause'. */
class BoshInactivityTimerTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Long> expired = new ArrayList<>();
    private final BoshInactivityTimer timer = new BoshInactivityTimer(scheduler, 60_000, 120_000, expired::add);

    @Test
    void anIdlePeriodLastsInactivity() {
        timer.start();
        assertThat(scheduler.pending()).singleElement().satisfies(t -> assertThat(t.delayMillis).isEqualTo(60_000));
        scheduler.pending().get(0).fire();
        assertThat(expired).containsExactly(60_000L);
    }

    @Test
    void startingAgainReplacesTheRunningTimer() {
        timer.start();
        timer.start();
        assertThat(scheduler.timers).hasSize(2);
        assertThat(scheduler.pending()).containsExactly(scheduler.timers.get(1));
        timer.cancel();
        assertThat(scheduler.pending()).isEmpty();
        assertThat(expired).isEmpty();
    }

    /** XEP-0124 §10: after a granted pause, the connection manager waits that long instead of 'inactivity'. */
    @Test
    void aGrantedPauseIsTheNextIdlePeriodUntilResumed() {
        assertThat(timer.pause(OptionalLong.of(120))).isTrue();
        timer.start();
        assertThat(scheduler.pending().get(0).delayMillis).isEqualTo(120_000);
        timer.resume();
        timer.start();
        assertThat(scheduler.pending().get(0).delayMillis).isEqualTo(60_000);
    }

    /** XEP-0124 §10: a pause beyond 'maxpause' is a policy violation. */
    @Test
    void aPauseBeyondMaxPauseOrMissingIsRefused() {
        assertThat(timer.pause(OptionalLong.of(121))).isFalse();
        assertThat(timer.pause(OptionalLong.empty())).isFalse();
        timer.start();
        assertThat(scheduler.pending().get(0).delayMillis).isEqualTo(60_000);
    }
}
