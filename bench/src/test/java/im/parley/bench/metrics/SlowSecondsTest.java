package im.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-second note of slow deliveries that the chat and muc steps report ({@code slow_seconds}). */
class SlowSecondsTest {

    private static final long MS = 1_000_000L;

    @Test
    void slowDeliveriesCountInTheSecondTheyWereSentInWithTheLongest() {
        SlowSeconds slow = new SlowSeconds(50 * MS);
        slow.record(10 * MS, 500 * MS);            // fast: not noted
        slow.record(60 * MS, 700 * MS);            // sent at 0.64 s
        slow.record(80 * MS, 2_300 * MS);          // sent at 2.22 s
        slow.record(120 * MS, 2_150 * MS);         // sent at 2.03 s
        slow.record(50 * MS, 3_500 * MS);          // at the threshold: not noted

        assertThat(slow.describe()).isEqualTo("0:1:60 2:2:120");
    }

    @Test
    void aDeliveryOfAMessageSentBeforeTheStepCountsInItsFirstSecond() {
        SlowSeconds slow = new SlowSeconds(50 * MS);
        slow.record(400 * MS, 100 * MS);

        assertThat(slow.describe()).isEqualTo("0:1:400");
    }
}
