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

    /** The highest rate among the clean steps, 0 if none was clean; {@code key} names the rate. */
    static double highestClean(List<Map<String, Object>> steps, String key) {
        return steps.stream().filter(RateSearch::isClean)
                .mapToDouble(s -> ((Number) s.get(key)).doubleValue()).max().orElse(0);
    }

    static boolean isClean(Map<String, Object> step) {
        return Boolean.TRUE.equals(step.get("clean"));
    }
}
