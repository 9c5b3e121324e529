package im.parley.bench.metrics;

import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which seconds of a step the slow deliveries were sent in: per second since the step began, how
 * many messages took longer than a threshold and the longest. With the step's wall-clock start,
 * the seconds line up with a server's GC or safepoint log ({@code -Xlog:gc:file=...:time}), to
 * tell a pause from a backlog (docs/benchmarks.md).
 */
public final class SlowSeconds {
    /** Seconds kept; a later delivery counts in the last. */
    private static final int SECONDS = 3600;

    private final long thresholdNanos;
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final AtomicIntegerArray slow = new AtomicIntegerArray(SECONDS);
    private final AtomicLongArray longest = new AtomicLongArray(SECONDS);

    public SlowSeconds(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    /** A message sent {@code latencyNanos} before now arrived. */
    public void record(long latencyNanos) {
        record(latencyNanos, System.nanoTime() - startNanos);
    }

    /** A message arrived {@code sinceStartNanos} after the step began, {@code latencyNanos} after it was sent. */
    void record(long latencyNanos, long sinceStartNanos) {
        if (latencyNanos <= thresholdNanos) {
            return;
        }
        long sent = sinceStartNanos - latencyNanos;
        int second = (int) Math.min(SECONDS - 1, Math.max(0, sent / 1_000_000_000L));
        slow.incrementAndGet(second);
        longest.accumulateAndGet(second, latencyNanos, Math::max);
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** {@code second:count:longest_ms} for each second with a slow delivery, e.g. {@code 12:340:81}. */
    public String describe() {
        StringJoiner seconds = new StringJoiner(" ");
        for (int i = 0; i < SECONDS; i++) {
            int count = slow.get(i);
            if (count > 0) {
                seconds.add(i + ":" + count + ":" + longest.get(i) / 1_000_000);
            }
        }
        return seconds.toString();
    }
}
