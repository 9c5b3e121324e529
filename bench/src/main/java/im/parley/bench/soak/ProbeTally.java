package im.parley.bench.soak;

import im.parley.bench.metrics.ReasonCounts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How the probes of one {@link ProbeKind} went: each ends once, as expected or not. */
final class ProbeTally {
    private final LongAdder started = new LongAdder();
    private final LongAdder expected = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final ReasonCounts reasons = new ReasonCounts(20);

    void started() {
        started.increment();
    }

    void expected() {
        expected.increment();
    }

    void unexpected(String reason) {
        unexpected.increment();
        reasons.add(reason);
    }

    long startedCount() {
        return started.sum();
    }

    long unexpectedCount() {
        return unexpected.sum();
    }

    Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("started", started.sum());
        figures.put("expected", expected.sum());
        figures.put("unexpected", unexpected.sum());
        figures.put("unexpected_reasons", reasons.sorted());
        return figures;
    }
}
