package im.parley.server.modules.mam;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rocksdb.RateLimiter;
import org.rocksdb.RateLimiterMode;

/**
 * How fast the archive's RocksDB may write in the background (its flushes and compactions): at
 * most {@link #FACTOR} times the rate at which messages arrive to be archived, in bytes, measured
 * over each second, and never below {@link #FLOOR}. RocksDB's own {@link RateLimiter} holds its
 * background writes to that rate, so a flush or a compaction spreads over the time the archive's
 * intake allows instead of taking a whole core for as long as it lasts.
 *
 * <p>Why: on a small machine those bursts competed with the event loops, and each one showed as
 * a second of late deliveries; the chat benchmark at 16,000 messages a second had a p99 of 53 to
 * 172 ms with them and 16 to 25 ms with a fixed limit of 8 MB/s, on the same CPU
 * (docs/benchmarks.md, "Background writes at the intake's pace"). But a fixed limit falls behind
 * a busier server (8 MB/s did at that rate: RocksDB stalled the indexer's writes and the journal
 * grew) or lets the bursts through on a quieter one; tied to the intake, it follows the load.
 *
 * <p>The intake is what the journal appends ({@link #arrived}), or, without a journal, what the
 * indexer writes ({@link #indexed}); the larger of the two in each second. Not the indexer's
 * writes alone when there is a journal: those slow down when RocksDB stalls them, and the limit
 * would follow them down. Thread-safe: the journal's writer and the indexer report.
 */
final class BackgroundWritePace implements AutoCloseable {

    /** Background writes may go this many times as fast as the archive's intake. */
    static final long FACTOR = 2;
    /** The least the limit falls to, bytes a second: a quiet server compacts at this pace. */
    static final long FLOOR = 8L << 20;
    /** How often the limit follows the intake. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** RocksDB hands out the rate in slices this often (its default is 100 ms: coarser bursts). */
    private static final long REFILL_MICROS = 20_000;
    private static final int FAIRNESS = 10;

    private final RateLimiter limiter;
    private final LongSupplier clock;
    private long windowStart;
    private long arrived;
    private long indexed;
    private long rate = FLOOR;
    private boolean closed;

    BackgroundWritePace(LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.limiter = new RateLimiter(FLOOR, REFILL_MICROS, FAIRNESS, RateLimiterMode.WRITES_ONLY, false);
        this.windowStart = nanoClock.getAsLong();
    }

    /** The limiter for the database's options ({@code DBOptions#setRateLimiter}). */
    RateLimiter limiter() {
        return limiter;
    }

    /** {@code bytes} of messages appended to the journal. */
    synchronized void arrived(long bytes) {
        arrived += bytes;
        follow();
    }

    /** {@code bytes} written to the index by the indexer (its write batches). */
    synchronized void indexed(long bytes) {
        indexed += bytes;
        follow();
    }

    /** The limit now, bytes a second. */
    synchronized long rate() {
        return rate;
    }

    private void follow() {
        long now = clock.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed < WINDOW_NANOS || closed) {
            return;
        }
        double perSecond = (double) Math.max(arrived, indexed) * TimeUnit.SECONDS.toNanos(1) / elapsed;
        long next = Math.max(FLOOR, (long) (FACTOR * perSecond));
        if (next != rate) {
            limiter.setBytesPerSecond(next);
            rate = next;
        }
        windowStart = now;
        arrived = 0;
        indexed = 0;
    }

    /**
     * Frees the limiter: after the database closed, or when it did not open. The journal may still
     * report appends afterwards (a message routed while the server stops): they change nothing.
     */
    @Override
    public synchronized void close() {
        closed = true;
        limiter.close();
    }
}
