package im.parley.bench.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures counted by reason, for a result's JSON: reasons are cut to 120 characters and at most
 * {@code maxReasons} distinct ones are kept, so a run that fails in endless variations (a
 * changing id in each message) still reports in bounded memory. Thread-safe.
 */
public final class ReasonCounts {
    private static final int MAX_LENGTH = 120;

    private final int maxReasons;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public ReasonCounts(int maxReasons) {
        this.maxReasons = maxReasons;
    }

    public void add(String reason) {
        String key = reason.length() > MAX_LENGTH ? reason.substring(0, MAX_LENGTH) : reason;
        if (counts.size() < maxReasons || counts.containsKey(key)) {
            counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** The reasons in alphabetical order with their counts. */
    public Map<String, Long> sorted() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((reason, n) -> sorted.put(reason, n.get()));
        return sorted;
    }
}
