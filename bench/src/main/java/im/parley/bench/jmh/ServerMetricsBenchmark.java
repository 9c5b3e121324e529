package im.parley.bench.jmh;

import im.parley.server.metrics.ServerMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the metrics cost (issue 15: under 1 % of the highest clean chat rate): the counting a chat
 * message pays on the hot path (one stanza in from the sender's stream, one out to the
 * recipient's), on two threads as on the two event loops of the benchmark machine, and one scrape
 * of the whole registry (every meter written in the Prometheus text format, without HTTP), in
 * nanoseconds per operation. docs/benchmarks.md turns both into a share of a chat message's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerMetricsBenchmark {
    private ServerMetrics metrics;
    private Element message;

    @Setup
    public void start() throws Exception {
        metrics = new ServerMetrics(List.of("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"));
        message = DocumentHelper.parseText("<message to='juliet@example.org' type='chat'><body>hi</body></message>")
                .getRootElement();
    }

    @TearDown
    public void stop() {
        metrics.close();
    }

    /** The counting of one chat message: received from the sender, written to the recipient. */
    @Benchmark
    @Threads(2)
    public void countOneChatMessage() {
        metrics.stanzas().received(message);
        metrics.stanzas().sent(message);
    }

    /** One scrape of every meter, as the metrics endpoint answers it. */
    @Benchmark
    public String scrape() {
        return metrics.scrape(null).body();
    }
}
