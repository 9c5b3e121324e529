package im.parley.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Counts what each client address holds at once (connections, sessions) against a limit, so that
 * no one address takes what all clients share. An IPv6 client is counted by its /64 prefix: that
 * is what one subscriber usually gets, and counting single IPv6 addresses would let one client
 * take a fresh address for every connection. Exempt addresses (trusted reverse proxies, which
 * carry many clients) are not counted. Thread-safe; an address that holds nothing has no entry.
 */
public final class PerAddressCounter {

    private final int max;
    private final Predicate<InetAddress> exempt;
    private final Map<InetAddress, Integer> held = new ConcurrentHashMap<>();

    public PerAddressCounter(int max, Predicate<InetAddress> exempt) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.exempt = exempt;
    }

    /** Takes one for {@code address}; false, and nothing taken, when it already holds the most it may. */
    public boolean tryAcquire(InetAddress address) {
        if (exempt.test(address)) {
            return true;
        }
        boolean[] acquired = new boolean[1];
        held.compute(key(address), (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            acquired[0] = true;
            return now + 1;
        });
        return acquired[0];
    }

    /** Gives back one taken by {@link #tryAcquire} for {@code address}. */
    public void release(InetAddress address) {
        if (!exempt.test(address)) {
            held.computeIfPresent(key(address), (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** What {@code address} (its /64 for IPv6) holds now. */
    public int count(InetAddress address) {
        return held.getOrDefault(key(address), 0);
    }

    /** The address a limit counts: an IPv4 address itself, an IPv6 address's /64 prefix. */
    static InetAddress key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
