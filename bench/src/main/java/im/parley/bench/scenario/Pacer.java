package im.parley.bench.scenario;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Issues operations at a fixed rate from the calling thread: at each tick it catches up with
 * the schedule ({@code rate × elapsed}), so the offered rate holds even when a tick is late.
 */
final class Pacer {
    private static final long TICK_NANOS = 1_000_000;

    private Pacer() {
    }

    /**
     * Calls {@code action} with 0, 1, … up to {@code count - 1} at {@code ratePerSecond}, or
     * until {@code deadlineNanos} ({@code System.nanoTime()}) passes.
     *
     * @return how many operations were issued
     */
    static int run(double ratePerSecond, int count, long deadlineNanos, IntConsumer action) {
        long start = System.nanoTime();
        int done = 0;
        while (done < count) {
            long now = System.nanoTime();
            if (now - deadlineNanos > 0) {
                break;
            }
            long due = Math.min(count, (long) ((now - start) / 1e9 * ratePerSecond) + 1);
            while (done < due) {
                action.accept(done++);
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
        return done;
    }

    /** Waits until {@code condition} holds or the deadline passes; true if it held. */
    static boolean await(java.util.function.BooleanSupplier condition, long deadlineNanos) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            LockSupport.parkNanos(5 * TICK_NANOS);
        }
        return true;
    }

    static long secondsFromNow(double seconds) {
        return System.nanoTime() + (long) (seconds * 1e9);
    }
}
