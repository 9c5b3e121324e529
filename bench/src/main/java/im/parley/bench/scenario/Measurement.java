package im.parley.bench.scenario;

import im.parley.bench.metrics.ProcessSample;
import im.parley.bench.metrics.ProcessSampler;
import im.parley.bench.metrics.ProcessWindow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the server (when its pid is known) and the load generator itself every 250 ms, so a
 * scenario can report both processes' CPU and RSS over any stretch of its run.
 */
final class Measurement implements AutoCloseable {
    private static final long INTERVAL_MS = 250;

    private final ProcessSampler server;
    private final ProcessSampler generator = ProcessSampler.self(INTERVAL_MS);

    Measurement(Long serverPid) {
        this.server = serverPid == null ? null : ProcessSampler.of(serverPid, INTERVAL_MS);
    }

    /** Marks a point in time in both series. */
    Mark mark() {
        return new Mark(server == null ? null : server.sampleNow(), generator.sampleNow());
    }

    ProcessWindow server(Mark from, Mark to) {
        return server == null || from.server() == null || to.server() == null
                ? null : server.window(from.server(), to.server());
    }

    /** Server figures ({@code server_*}) and the generator's own ({@code bench_*}). */
    Map<String, Object> figures(Mark from, Mark to) {
        Map<String, Object> figures = new LinkedHashMap<>();
        ProcessWindow serverWindow = server(from, to);
        if (serverWindow != null) {
            figures.putAll(serverWindow.figures("server"));
        }
        ProcessWindow self = generator.window(from.generator(), to.generator());
        figures.put("bench_cpu_avg_pct", Math.round(self.cpuAveragePercent()));
        figures.put("bench_cpu_peak5s_pct", Math.round(self.cpuPeak5sPercent()));
        return figures;
    }

    @Override
    public void close() {
        generator.close();
        if (server != null) {
            server.close();
        }
    }

    record Mark(ProcessSample server, ProcessSample generator) {
    }
}
