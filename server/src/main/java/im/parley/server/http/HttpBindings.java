package im.parley.server.http;

import im.parley.server.c2s.C2sContext;
import im.parley.server.config.HttpConfig;
import im.parley.server.net.PerAddressCounter;
import io.netty.channel.EventLoopGroup;

/**
 * What the HTTP listeners share: the client stream context (the same one TCP uses), the HTTP
 * settings, the BOSH sessions, whose event loops come from {@code loops}, the modules' services, and the count of
 * connections per client address ({@code http.max_connections_per_address}).
 */
public final class HttpBindings {

    private final C2sContext c2s;
    private final HttpConfig config;
    private final BoshSessions bosh;
    private final ClientAddresses clients;
    private final PerAddressCounter connections;
    private final EventLoopGroup loops;
    private final HttpServices services;

    public HttpBindings(C2sContext c2s, HttpConfig config, EventLoopGroup loops, HttpServices services) {
        this.c2s = c2s;
        this.config = config;
        this.loops = loops;
        this.services = services;
        this.clients = new ClientAddresses(config.limits().trustedProxies());
        this.bosh = new BoshSessions(c2s, config, loops, clients);
        this.connections = new PerAddressCounter(config.limits().maxConnectionsPerAddress(), clients::isTrustedProxy);
    }

    public C2sContext c2s() {
        return c2s;
    }

    public HttpConfig config() {
        return config;
    }

    public BoshSessions bosh() {
        return bosh;
    }

    /** What modules serve over HTTP, by path prefix. */
    HttpServices services() {
        return services;
    }

    ClientAddresses clients() {
        return clients;
    }

    /** The event loops of the HTTP connections and BOSH sessions. */
    EventLoopGroup loops() {
        return loops;
    }

    /** The HTTP connections open per client address (trusted proxies are not counted). */
    PerAddressCounter connections() {
        return connections;
    }
}
