package im.parley.bench.soak;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a series sampled over a soak moved: the median of its first third against the median of
 * its last third (robust to a stray sample, such as a reading taken mid-burst), and the
 * least-squares slope through every sample, per hour, with its standard error.
 *
 * @param samples         how many samples the trend rests on
 * @param firstThird      median of the first third of the samples
 * @param lastThird       median of the last third
 * @param slopePerHour    least-squares slope, in the series' unit per hour
 * @param slopeStdError   standard error of that slope (same unit), from the residuals
 */
public record Trend(int samples, double firstThird, double lastThird, double slopePerHour, double slopeStdError) {

    /** Fewer samples than this leave each third with one sample: no verdict. */
    public static final int MIN_SAMPLES = 6;

    /** One reading: seconds since the start of the run, and the value. */
    public record Point(double seconds, double value) {
    }

    /** The trend of {@code points}, in time order. */
    public static Trend of(List<Point> points) {
        int n = points.size();
        if (n == 0) {
            return new Trend(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int third = Math.max(1, n / 3);
        double first = median(points.subList(0, third));
        double last = median(points.subList(n - third, n));
        double meanT = points.stream().mapToDouble(Point::seconds).average().orElse(0);
        double meanV = points.stream().mapToDouble(Point::value).average().orElse(0);
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            sxx += (p.seconds() - meanT) * (p.seconds() - meanT);
            sxy += (p.seconds() - meanT) * (p.value() - meanV);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        double residuals = 0;
        for (Point p : points) {
            double r = p.value() - (meanV + slope * (p.seconds() - meanT));
            residuals += r * r;
        }
        double stdError = n > 2 && sxx > 0 ? Math.sqrt(residuals / (n - 2) / sxx) : Double.NaN;
        return new Trend(n, first, last, slope * 3600, stdError * 3600);
    }

    /** Last third's median minus the first third's. */
    public double growth() {
        return lastThird - firstThird;
    }

    /** {@link #growth()} as a percentage of the first third's median. */
    public double growthPercent() {
        return firstThird == 0 ? 0 : 100 * growth() / firstThird;
    }

    /**
     * {@code flat} when neither the medians nor the slope grew beyond the limits (shrinking is
     * flat), {@code growing} otherwise, {@code too_short} below {@link #MIN_SAMPLES}.
     */
    public String verdict(Limits limits) {
        if (samples < MIN_SAMPLES) {
            return "too_short";
        }
        return growthPercent() <= limits.maxGrowthPercent() && slopePerHour <= limits.maxSlopePerHour()
                ? "flat" : "growing";
    }

    /** The figures under a prefix, e.g. {@code heap_slope_mb_per_h}; values are in MB. */
    public Map<String, Object> figures(String prefix, Limits limits) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put(prefix + "_first_third_mb", round(firstThird));
        figures.put(prefix + "_last_third_mb", round(lastThird));
        figures.put(prefix + "_growth_pct", round(growthPercent()));
        figures.put(prefix + "_slope_mb_per_h", round(slopePerHour));
        figures.put(prefix + "_slope_stderr_mb_per_h", round(slopeStdError));
        figures.put(prefix + "_limits", "growth<=" + limits.maxGrowthPercent() + "%,slope<="
                + limits.maxSlopePerHour() + "MB/h");
        figures.put(prefix + "_verdict", verdict(limits));
        return figures;
    }

    /**
     * What counts as flat.
     *
     * @param maxGrowthPercent the last third's median may exceed the first's by this much
     * @param maxSlopePerHour  the least-squares slope may reach this, in MB per hour
     */
    public record Limits(double maxGrowthPercent, double maxSlopePerHour) {
    }

    private static double median(List<Point> points) {
        double[] values = points.stream().mapToDouble(Point::value).toArray();
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 10) / 10.0;
    }
}
