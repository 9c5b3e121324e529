package im.parley.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether and how fast a {@link ChatClient} reconnects after its connection breaks: exponential
 * back-off from {@code first} up to {@code max}, with up to 20% random jitter so that many
 * clients of a restarted server do not all come back in the same instant. After reconnecting,
 * the client resumes its session when the server offers stream management (XEP-0198 §5), and
 * otherwise logs in again. It keeps trying as long as the server is unreachable or closes the
 * connection; it gives up ({@link ConnectionEvent#CLOSED}) only when the server refuses the
 * credentials or another login replaced the session.
 */
public final class Reconnect {

    private final Duration first;
    private final Duration max;

    private Reconnect(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** Back-off from one second up to two minutes. */
    public static Reconnect defaults() {
        return withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
    }

    /** Back-off that doubles from {@code first} up to {@code max}. */
    public static Reconnect withBackoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
        }
        return new Reconnect(first, max);
    }

    /** Never reconnect: a broken connection ends the client's session ({@link ConnectionEvent#CLOSED}). */
    public static Reconnect disabled() {
        return new Reconnect(null, null);
    }

    boolean enabled() {
        return first != null;
    }

    /** The wait before reconnection attempt {@code attempt} (1, 2, ...). */
    Duration delayBefore(int attempt) {
        long base = first.toMillis();
        long capped = max.toMillis();
        for (int i = 1; i < attempt && base < capped; i++) {
            base *= 2;
        }
        base = Math.min(base, capped);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 5 + 1));
    }
}
