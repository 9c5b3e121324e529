package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import im.parley.bench.metrics.SlowSeconds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;

/**
 * Counts the timestamped messages of the current step of a rate scenario ({@code chat},
 * {@code muc}): a message sent before the step began is a straggler of an earlier step and is
 * not counted again. Errors are any message error or lost client.
 */
class StepCounter implements ClientEvents {
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private volatile LatencyRecorder latency = new LatencyRecorder();
    /** Deliveries slower than the clean limit, by the second they were sent in. */
    private volatile SlowSeconds slow = new SlowSeconds(50_000_000L);
    private volatile long startNanos;
    private long errorsAtStart;

    /** Starts a step; deliveries slower than {@code cleanP99Millis} are noted by second. */
    void begin(double cleanP99Millis) {
        slow = new SlowSeconds(Math.round(cleanP99Millis * 1_000_000));
        begin();
    }

    void begin() {
        latency = new LatencyRecorder();
        delivered.set(0);
        errorsAtStart = errors.get();
        startNanos = System.nanoTime();
    }

    /**
     * The step's figures once the sending ended at {@code sendEndNanos} and stragglers were
     * waited for: what arrived of {@code expected}, the achieved rate of {@code done} (what was
     * sent, or delivered) per second, latency, the measured process figures, and whether the
     * step was clean (all arrived, no errors, p99 below {@code cleanP99Millis}).
     */
    Map<String, Object> figures(long expected, String doneKey, long done, long sendEndNanos,
                                Map<String, Object> measured, double cleanP99Millis) {
        Map<String, Object> figures = new LinkedHashMap<>();
        long arrived = delivered.get();
        figures.put("delivered", arrived);
        figures.put("delivered_ratio", expected == 0 ? 0 : Math.round(10000.0 * arrived / expected) / 10000.0);
        figures.put(doneKey, Math.round(done / ((sendEndNanos - startNanos) / 1e9)));
        long stepErrors = errors.get() - errorsAtStart;
        figures.put("message_errors", stepErrors);
        figures.putAll(latency.figures("latency"));
        figures.put("slow_seconds_start_epoch_ms", slow.startEpochMillis());
        figures.put("slow_seconds", slow.describe());
        figures.putAll(measured);
        double p99 = ((Number) figures.get("latency_p99_ms")).doubleValue();
        figures.put("clean", arrived == expected && expected > 0 && stepErrors == 0 && p99 < cleanP99Millis);
        return figures;
    }

    @Override
    public void messageReceived(XmppClient client, long latencyNanos) {
        if (System.nanoTime() - latencyNanos - startNanos >= 0) {
            delivered.incrementAndGet();
            latency.recordNanos(latencyNanos);
            slow.record(latencyNanos);
        }
    }

    @Override
    public void messageError(XmppClient client, Element message) {
        errors.incrementAndGet();
    }

    @Override
    public void failed(XmppClient client, String reason) {
        errors.incrementAndGet();
    }
}
