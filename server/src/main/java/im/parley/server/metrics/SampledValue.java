package im.parley.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A figure that is costly to read (a row count): reading it returns the last sample at once, and
 * when that is older than the interval starts a new sample on the blocking executor, one at a time.
 * A scrape never waits for the database, and the database is asked at most once per interval
 * however often it is scraped. NaN until the first sample is in.
 */
public final class SampledValue {

    private static final Logger LOG = LoggerFactory.getLogger(SampledValue.class);

    private final LongSupplier query;
    private final Executor blocking;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private volatile double value = Double.NaN;
    private volatile long sampledAt = Long.MIN_VALUE;

    /**
     * @param query the blocking read (e.g. {@code SELECT COUNT(*)}); a failure keeps the last value
     * @param blocking where it runs, never an event loop
     */
    public SampledValue(LongSupplier query, Executor blocking, Clock clock, Duration interval) {
        this.query = query;
        this.blocking = blocking;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Shows this value as the gauge {@code name}, tagged with the hosted domain it counts for. The
     * gauge holds this value strongly: nothing else does, and Micrometer's default weak reference
     * would let it be collected (the gauge would then read NaN).
     */
    public void register(MeterRegistry registry, String name, String description, DomainBareJid domain) {
        Gauge.builder(name, this, SampledValue::get).tag("domain", domain.toString()).description(description)
                .strongReference(true).register(registry);
    }

    /** The last sample, starting a new one if it is stale. */
    public double get() {
        long now = clock.millis();
        if ((sampledAt == Long.MIN_VALUE || now - sampledAt >= intervalMillis) && sampling.compareAndSet(false, true)) {
            try {
                blocking.execute(this::sample);
            } catch (RejectedExecutionException e) {
                sampling.set(false);
            }
        }
        return value;
    }

    private void sample() {
        try {
            value = query.getAsLong();
        } catch (RuntimeException e) {
            LOG.warn("cannot sample a metric", e);
        } finally {
            sampledAt = clock.millis();
            sampling.set(false);
        }
    }
}
