package im.parley.bench.metrics;

/**
 * One reading of a process.
 *
 * @param nanos      {@code System.nanoTime()} when read
 * @param cpuSeconds user + system CPU time consumed so far
 * @param rssKb      resident set size (VmRSS)
 */
public record ProcessSample(long nanos, double cpuSeconds, long rssKb) {
}
