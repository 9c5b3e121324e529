package im.parley.server.http;

import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * XEP-0124 §10: while a BOSH session holds no request it lives for {@code inactivity} seconds,
 * or for the {@code pause} the client asked for, up to {@code maxpause}. The session starts
 * the timer when it runs out of requests and cancels it when one comes.
 */
final class BoshInactivityTimer {

    private final BoshScheduler scheduler;
    private final long inactivityMillis;
    private final long maxPauseMillis;
    private final LongConsumer expired;
    private long pauseMillis;
    private Runnable cancel;

    /** @param expired called with the idle period, in milliseconds, when it ends without a cancel */
    BoshInactivityTimer(BoshScheduler scheduler, long inactivityMillis, long maxPauseMillis, LongConsumer expired) {
        this.scheduler = scheduler;
        this.inactivityMillis = inactivityMillis;
        this.maxPauseMillis = maxPauseMillis;
        this.expired = expired;
    }

    /**
     * Grants a pause (§10): the next idle period lasts that long. False, and nothing changes,
     * for a missing one or one longer than {@code maxpause}: a policy violation.
     */
    boolean pause(OptionalLong seconds) {
        long millis = seconds.orElse(-1) * 1000L;
        if (millis < 0 || millis > maxPauseMillis) {
            return false;
        }
        pauseMillis = millis;
        return true;
    }

    /** The client is back from a pause: idle periods last {@code inactivity} again. */
    void resume() {
        pauseMillis = 0;
    }

    /** Starts the idle period again from now. */
    void start() {
        cancel();
        long millis = pauseMillis > 0 ? pauseMillis : inactivityMillis;
        cancel = scheduler.schedule(() -> {
            cancel = null;
            expired.accept(millis);
        }, millis);
    }

    void cancel() {
        if (cancel != null) {
            cancel.run();
            cancel = null;
        }
    }
}
