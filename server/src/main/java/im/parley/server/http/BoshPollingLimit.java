package im.parley.server.http;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * XEP-0124 §12: a polling session (one granted {@code hold} 0) sends an empty request no more
 * often than every {@code polling} seconds.
 */
final class BoshPollingLimit {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastEmptyPoll;

    BoshPollingLimit(long pollingMillis) {
        this(pollingMillis, System::nanoTime);
    }

    BoshPollingLimit(long pollingMillis, LongSupplier nanoTime) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(pollingMillis);
        this.nanoTime = nanoTime;
    }

    /** Counts an empty poll now; false, and not counted, if it came too soon after the last one. */
    boolean allowEmptyPoll() {
        long now = nanoTime.getAsLong();
        if (lastEmptyPoll != 0 && now - lastEmptyPoll < intervalNanos) {
            return false;
        }
        lastEmptyPoll = now;
        return true;
    }
}
