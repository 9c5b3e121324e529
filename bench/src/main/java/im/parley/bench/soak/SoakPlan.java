package im.parley.bench.soak;

/**
 * How long a soak runs, how often it samples the server, and what counts as flat.
 *
 * @param warmupSeconds  load before the measured part, not judged: long enough for everything
 *                       the server keeps for a while to reach its steady amount (sessions waiting
 *                       for resumption, failed-login records, BOSH sessions), a JIT to settle
 * @param seconds        the measured part
 * @param sampleSeconds  interval between samples (each forces a full GC on the server)
 * @param heapLimits     flatness of the heap after GC
 * @param rssLimits      flatness of the resident set size
 */
public record SoakPlan(double warmupSeconds, double seconds, double sampleSeconds, Trend.Limits heapLimits,
                       Trend.Limits rssLimits) {
}
