package im.parley.bench.soak;

import java.net.InetSocketAddress;

/**
 * Loopback source addresses for the churn, {@code 127.2.0.1} to {@code 127.2.255.254} (the whole
 * of 127.0.0.0/8 is local on Linux), taken in turn. With many of them the server's per-address
 * records (failed logins, HTTP connections, BOSH sessions) see a new address for most
 * connections, as from a botnet, and must forget each one again; the authenticated users
 * connect from 127.0.1.x and are never throttled for the churn's failed logins.
 */
final class ChurnSources {
    /** 256 × 254: the last octet skips 0 and 255. */
    static final int MAX = 256 * 254;

    private final int count;
    private int next;

    ChurnSources(int count) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("churn sources must be 1.." + MAX + ": " + count);
        }
        this.count = count;
    }

    InetSocketAddress next() {
        int i = next;
        next = (next + 1) % count;
        return new InetSocketAddress("127.2." + (i / 254) + "." + (i % 254 + 1), 0);
    }
}
