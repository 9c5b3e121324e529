package im.parley.bench.soak;

/**
 * Operations due at a fixed rate, asked for from a loop that ticks irregularly: each call
 * returns how many fell due since the last one. After a stall (a pause of the generator) at most
 * one second's worth is due at once, so a late tick does not turn into a burst.
 */
final class Rate {
    private final double perSecond;
    private long lastNanos;
    private double owed;

    Rate(double perSecond, long startNanos) {
        this.perSecond = perSecond;
        this.lastNanos = startNanos;
    }

    int due(long nowNanos) {
        owed = Math.min(owed + (nowNanos - lastNanos) / 1e9 * perSecond, Math.max(1, perSecond));
        lastNanos = nowNanos;
        int due = (int) owed;
        owed -= due;
        return due;
    }
}
