package im.parley.server.http;

import im.parley.server.c2s.C2sContext;
import im.parley.server.config.HttpConfig;
import io.netty.channel.EventLoopGroup;

/**
 * What the HTTP listeners share: the client stream context (the same one TCP uses), the HTTP
 * settings and the BOSH sessions, whose event loops come from {@code loops}.
 */
public final class HttpBindings {

    private final C2sContext c2s;
    private final HttpConfig config;
    private final BoshSessions bosh;

    public HttpBindings(C2sContext c2s, HttpConfig config, EventLoopGroup loops) {
        this.c2s = c2s;
        this.config = config;
        this.bosh = new BoshSessions(c2s, config, loops);
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
}
