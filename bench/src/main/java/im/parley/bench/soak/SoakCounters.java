package im.parley.bench.soak;

import im.parley.bench.metrics.ReasonCounts;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the authenticated load did and what went wrong, counted from every thread. */
final class SoakCounters {
    final LongAdder logins = new LongAdder();
    final LongAdder logouts = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder resumptions = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder presencesSent = new LongAdder();
    final LongAdder presencesReceived = new LongAdder();
    final LongAdder iqsSent = new LongAdder();
    final LongAdder iqsAnswered = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final ReasonCounts reasons = new ReasonCounts(50);

    /** Counts an error of the authenticated load under a short reason. */
    void error(String reason) {
        errors.increment();
        reasons.add(reason);
    }

    long errors() {
        return errors.sum();
    }

    long stanzasSent() {
        return messagesSent.sum() + presencesSent.sum() + iqsSent.sum();
    }

    long stanzasReceived() {
        return messagesReceived.sum() + presencesReceived.sum() + iqsAnswered.sum();
    }

    Map<String, Long> reasons() {
        return reasons.sorted();
    }
}
