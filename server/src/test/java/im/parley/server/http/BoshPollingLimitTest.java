package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** XEP-0124 §12: a polling session polls no more often than 'polling'. */
class BoshPollingLimitTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(50));
    private final BoshPollingLimit limit = new BoshPollingLimit(2000, now::get);

    @Test
    void aPollSoonerThanPollingIsRefused() {
        assertThat(limit.allowEmptyPoll()).isTrue();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1999));
        assertThat(limit.allowEmptyPoll()).isFalse();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        // The refused poll did not count: 2 s after the accepted one is allowed.
        assertThat(limit.allowEmptyPoll()).isTrue();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2000));
        assertThat(limit.allowEmptyPoll()).isTrue();
    }
}
