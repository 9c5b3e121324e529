package im.parley.core.sasl;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Throttles brute-force password guessing: an address with {@code maxFailures} failed
 * authentications within the sliding {@code window} is blocked until the oldest of them leaves
 * the window (RFC 6120 §6.4.5 lets the server limit retries; RFC 4422 §6.1 warns of dictionary
 * attacks). Memory is bounded: at most {@code maxFailures} timestamps per address, entries
 * expire with the window, and at most {@code maxTrackedAddresses} addresses are kept (the one
 * whose last failure is oldest is dropped first). Thread-safe.
 */
public final class AuthFailureThrottle {

    public static final int DEFAULT_MAX_TRACKED_ADDRESSES = 65_536;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final int maxTrackedAddresses;
    /** Insertion order is the order of each address's latest failure: the head expires first. */
    private final LinkedHashMap<InetAddress, ArrayDeque<Instant>> failures = new LinkedHashMap<>();

    public AuthFailureThrottle(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, clock, DEFAULT_MAX_TRACKED_ADDRESSES);
    }

    public AuthFailureThrottle(int maxFailures, Duration window, Clock clock, int maxTrackedAddresses) {
        if (maxFailures < 1 || maxTrackedAddresses < 1) {
            throw new IllegalArgumentException("maxFailures and maxTrackedAddresses must be positive");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxTrackedAddresses = maxTrackedAddresses;
    }

    /** Whether authentication attempts from this address should be refused now. */
    public synchronized boolean isBlocked(InetAddress address) {
        ArrayDeque<Instant> recent = failures.get(address);
        if (recent == null) {
            return false;
        }
        dropExpired(recent, clock.instant());
        if (recent.isEmpty()) {
            failures.remove(address);
            return false;
        }
        return recent.size() >= maxFailures;
    }

    public synchronized void recordFailure(InetAddress address) {
        Instant now = clock.instant();
        purgeExpiredAddresses(now);
        ArrayDeque<Instant> recent = failures.remove(address);
        if (recent == null) {
            recent = new ArrayDeque<>(maxFailures);
        }
        dropExpired(recent, now);
        recent.addLast(now);
        while (recent.size() > maxFailures) {
            recent.removeFirst();
        }
        failures.put(address, recent);
        if (failures.size() > maxTrackedAddresses) {
            Iterator<InetAddress> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** A successful authentication clears the address's record. */
    public synchronized void recordSuccess(InetAddress address) {
        failures.remove(address);
    }

    /** How many addresses are tracked now; for tests and metrics. */
    public synchronized int trackedAddresses() {
        return failures.size();
    }

    private boolean isExpired(Instant failure, Instant now) {
        return !failure.isAfter(now.minus(window));
    }

    private void dropExpired(ArrayDeque<Instant> recent, Instant now) {
        while (!recent.isEmpty() && isExpired(recent.peekFirst(), now)) {
            recent.removeFirst();
        }
    }

    private void purgeExpiredAddresses(Instant now) {
        Iterator<Map.Entry<InetAddress, ArrayDeque<Instant>>> entries = failures.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<InetAddress, ArrayDeque<Instant>> entry = entries.next();
            if (!isExpired(entry.getValue().peekLast(), now)) {
                return;
            }
            entries.remove();
        }
    }
}
