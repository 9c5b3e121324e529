package im.parley.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The search for the highest clean rate shared by the rate scenarios: starting from a first step
 * at the nominal rate, the rate doubles while a step stays clean (a step's figures say so under
 * {@code clean}), then bisects between the last clean and the first unclean rate. Bounded at
 * about a dozen short steps.
 */
final class RateSearch {
    private static final int MAX_STEPS = 12;
    private static final double MIN_RATE = 10;
    private static final double RESOLUTION = 1.15;

    private RateSearch() {
    }

    /**
     * @param rate    the nominal rate, whose figures are {@code first}
     * @param maxRate no step above this
     * @param step    runs one step at a rate and returns its figures
     * @return every step's figures, the first one first
     */
    static List<Map<String, Object>> run(double rate, Map<String, Object> first, double maxRate,
                                         DoubleFunction<Map<String, Object>> step) {
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(new LinkedHashMap<>(first));
        double clean = isClean(first) ? rate : 0;
        double unclean = isClean(first) ? 0 : rate;
        double next = clean > 0 ? rate * 2 : rate / 2;
        for (int i = 0; i < MAX_STEPS && next <= maxRate && next >= MIN_RATE; i++) {
            Map<String, Object> s = step.apply(next);
            steps.add(s);
            if (isClean(s)) {
                clean = Math.max(clean, next);
            } else {
                unclean = unclean == 0 ? next : Math.min(unclean, next);
            }
            if (unclean == 0) {
                next = clean * 2;
            } else if (clean == 0) {
                next = unclean / 2;
            } else if (unclean / clean > RESOLUTION) {
                next = Math.round((clean + unclean) / 2);
            } else {
                break;
            }
        }
        return steps;
    }

    /**
     * {@code step}, run once more at the same rate when it was not clean and the server's JIT
     * compilers took at least {@code jitShare} of a core meanwhile ({@code server_jit_cpu_s} of
     * {@code stepSeconds}): a rate the server had not run before makes HotSpot compile the code
     * it now takes (larger batches, fuller buffers), and a step that fails meanwhile measured
     * that compilation, which a server that has run for a while has done (docs/benchmarks.md,
     * "The JIT's warm-up and the rate search"). Only once, and only what it says: the second
     * run's figures, with the first's p99 and compiler time under {@code first_try_*}. A server
     * without compiler threads (no {@code server_jit_cpu_s}) never repeats a step.
     */
    static DoubleFunction<Map<String, Object>> repeatedAfterCompiling(DoubleFunction<Map<String, Object>> step,
                                                                      double stepSeconds, double jitShare) {
        return rate -> {
            Map<String, Object> first = step.apply(rate);
            Object jit = first.get("server_jit_cpu_s");
            if (isClean(first) || !(jit instanceof Number seconds) || seconds.doubleValue() < jitShare * stepSeconds) {
                return first;
            }
            Map<String, Object> second = new LinkedHashMap<>(step.apply(rate));
            second.put("first_try_latency_p99_ms", first.get("latency_p99_ms"));
            second.put("first_try_server_jit_cpu_s", jit);
            return second;
        };
    }

    /** The highest rate among the clean steps, 0 if none was clean; {@code key} names the rate. */
    static double highestClean(List<Map<String, Object>> steps, String key) {
        return steps.stream().filter(RateSearch::isClean)
                .mapToDouble(s -> ((Number) s.get(key)).doubleValue()).max().orElse(0);
    }

    static boolean isClean(Map<String, Object> step) {
        return Boolean.TRUE.equals(step.get("clean"));
    }
}
