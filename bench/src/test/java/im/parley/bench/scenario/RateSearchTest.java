package im.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/** A rate-search step that failed while the server's JIT compiled is run once more, and only then. */
class RateSearchTest {

    private final List<Double> rates = new ArrayList<>();

    @Test
    void anUncleanStepWhileTheJitCompiledRunsOnceMoreAndReportsTheSecondTry() {
        DoubleFunction<Map<String, Object>> step = RateSearch.repeatedAfterCompiling(steps(
                Map.of("clean", false, "latency_p99_ms", 900.0, "server_jit_cpu_s", 1.2),
                Map.of("clean", true, "latency_p99_ms", 20.0, "server_jit_cpu_s", 0.1)), 8, 0.05);

        Map<String, Object> figures = step.apply(16_000);

        assertThat(rates).containsExactly(16_000.0, 16_000.0);
        assertThat(figures).containsEntry("clean", true).containsEntry("latency_p99_ms", 20.0)
                .containsEntry("first_try_latency_p99_ms", 900.0).containsEntry("first_try_server_jit_cpu_s", 1.2);
    }

    @Test
    void onlyOnceEvenIfTheJitStillCompiled() {
        DoubleFunction<Map<String, Object>> step = RateSearch.repeatedAfterCompiling(steps(
                Map.of("clean", false, "server_jit_cpu_s", 1.2),
                Map.of("clean", false, "server_jit_cpu_s", 1.0),
                Map.of("clean", true)), 8, 0.05);

        assertThat(step.apply(16_000)).containsEntry("clean", false).containsEntry("server_jit_cpu_s", 1.0);
        assertThat(rates).hasSize(2);
    }

    @Test
    void aCleanStepAQuietJitOrAServerWithoutOneIsNotRepeated() {
        DoubleFunction<Map<String, Object>> step = RateSearch.repeatedAfterCompiling(steps(
                Map.of("clean", true, "server_jit_cpu_s", 3.0),
                Map.of("clean", false, "server_jit_cpu_s", 0.39),
                Map.of("clean", false)), 8, 0.05);

        assertThat(step.apply(4_000)).containsEntry("clean", true);
        assertThat(step.apply(8_000)).containsEntry("server_jit_cpu_s", 0.39); // under 5 % of 8 s
        assertThat(step.apply(16_000)).doesNotContainKey("server_jit_cpu_s");
        assertThat(rates).containsExactly(4_000.0, 8_000.0, 16_000.0);
    }

    @SafeVarargs
    private DoubleFunction<Map<String, Object>> steps(Map<String, Object>... figures) {
        Iterator<Map<String, Object>> next = List.of(figures).iterator();
        return rate -> {
            rates.add(rate);
            return next.next();
        };
    }
}
