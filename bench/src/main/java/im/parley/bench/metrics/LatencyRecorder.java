package im.parley.bench.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies recorded from many threads into an HdrHistogram, in microseconds. */
public final class LatencyRecorder {
    private static final long MAX_MICROS = 600_000_000L;

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** Everything recorded so far. */
    public synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** p50, p99, p99.9 and max in milliseconds under a prefix, e.g. {@code latency_p99_ms}. */
    public Map<String, Object> figures(String prefix) {
        Histogram h = snapshot();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put(prefix + "_p50_ms", ms(h.getValueAtPercentile(50)));
        figures.put(prefix + "_p99_ms", ms(h.getValueAtPercentile(99)));
        figures.put(prefix + "_p999_ms", ms(h.getValueAtPercentile(99.9)));
        figures.put(prefix + "_max_ms", ms(h.getMaxValue()));
        return figures;
    }

    public static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
