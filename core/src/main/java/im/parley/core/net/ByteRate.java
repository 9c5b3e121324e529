package im.parley.core.net;

/**
 * A byte rate with a burst: {@code bytesPerSecond} on average, up to {@code burstBytes} at once
 * after a quiet spell. A rate of 0 means no limit.
 */
public record ByteRate(int bytesPerSecond, int burstBytes) {

    public static final ByteRate UNLIMITED = new ByteRate(0, 0);

    public ByteRate {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must not be negative: " + bytesPerSecond);
        }
        if (bytesPerSecond > 0 && burstBytes < 1) {
            throw new IllegalArgumentException("burstBytes must be positive: " + burstBytes);
        }
    }

    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    public ByteRate withBytesPerSecond(int value) {
        return new ByteRate(value, burstBytes);
    }

    public ByteRate withBurstBytes(int value) {
        return new ByteRate(bytesPerSecond, value);
    }
}
