package im.parley.server.modules.proxy65;

import java.time.Duration;

/**
 * The proxy's limits, from its options.
 *
 * @param maxPerAddress connections one IP address may hold at once
 * @param activationTimeout how long a connection may wait for its stream's activation
 * @param bytesPerSecond the most bytes per second relayed in each direction of a stream; 0: no limit
 */
record Proxy65Limits(int maxPerAddress, Duration activationTimeout, long bytesPerSecond) {

    /** For {@code Map.merge}: a count that falls to zero leaves the map. */
    static Integer decrement(Integer count, Integer minusOne) {
        int left = count + minusOne;
        return left <= 0 ? null : left;
    }
}
