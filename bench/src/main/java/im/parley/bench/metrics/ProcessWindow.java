package im.parley.bench.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A process's CPU and memory over a time window, from its samples. */
public final class ProcessWindow {
    private static final long PEAK_WINDOW_NANOS = 5_000_000_000L;

    private final List<ProcessSample> samples;

    ProcessWindow(List<ProcessSample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** Mean CPU use; 100 is one core busy the whole time. */
    public double cpuAveragePercent() {
        if (samples.size() < 2) {
            return 0;
        }
        ProcessSample first = samples.get(0);
        ProcessSample last = samples.get(samples.size() - 1);
        return percent(first, last);
    }

    /** The busiest stretch of about 5 s (the whole window if shorter), as the baseline reports. */
    public double cpuPeak5sPercent() {
        double peak = cpuAveragePercent();
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                if (samples.get(j).nanos() - samples.get(i).nanos() >= PEAK_WINDOW_NANOS) {
                    peak = Math.max(peak, percent(samples.get(i), samples.get(j)));
                    break;
                }
            }
        }
        return peak;
    }

    public long rssStartKb() {
        return samples.isEmpty() ? 0 : samples.get(0).rssKb();
    }

    public long rssEndKb() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).rssKb();
    }

    public long rssPeakKb() {
        return samples.stream().mapToLong(ProcessSample::rssKb).max().orElse(0);
    }

    public double cpuSeconds() {
        return samples.size() < 2 ? 0 : samples.get(samples.size() - 1).cpuSeconds() - samples.get(0).cpuSeconds();
    }

    /** The figures under a prefix, e.g. {@code server_cpu_avg_pct}. */
    public Map<String, Object> figures(String prefix) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put(prefix + "_cpu_avg_pct", Math.round(cpuAveragePercent()));
        figures.put(prefix + "_cpu_peak5s_pct", Math.round(cpuPeak5sPercent()));
        figures.put(prefix + "_cpu_s", Math.round(cpuSeconds() * 100) / 100.0);
        figures.put(prefix + "_rss_start_mb", mb(rssStartKb()));
        figures.put(prefix + "_rss_peak_mb", mb(rssPeakKb()));
        figures.put(prefix + "_rss_end_mb", mb(rssEndKb()));
        return figures;
    }

    private static double mb(long kb) {
        return Math.round(kb / 102.4) / 10.0;
    }

    private static double percent(ProcessSample from, ProcessSample to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        return seconds <= 0 ? 0 : 100.0 * (to.cpuSeconds() - from.cpuSeconds()) / seconds;
    }
}
