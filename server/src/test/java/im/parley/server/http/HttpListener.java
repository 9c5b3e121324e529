package im.parley.server.http;

import im.parley.server.ParleyServer;
import im.parley.server.config.HttpConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real Parley server with its plain HTTP listener (BOSH, WebSocket, host-meta) on an
 * ephemeral port of 127.0.0.1, for tests that talk to it over raw sockets.
 */
final class HttpListener implements AutoCloseable {

    static final String DOMAIN = "parley.test";

    private final ParleyServer server;

    private HttpListener(ParleyServer server) {
        this.server = server;
    }

    /** A server whose HTTP settings are the defaults changed by {@code web}; data in {@code dataDir}. */
    static HttpListener start(Path dataDir, UnaryOperator<HttpConfig> web) throws Exception {
        return start(dataDir, web, UnaryOperator.identity());
    }

    /** The same, with the rest of the configuration changed by {@code rest} (other listeners). */
    static HttpListener start(Path dataDir, UnaryOperator<HttpConfig> web, UnaryOperator<ParleyConfig> rest)
            throws Exception {
        ParleyConfig config = rest.apply(ParleyConfig.defaults()
                .withDomains(List.of(DOMAIN))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.off("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0))
                .withWeb(web.apply(HttpConfig.defaults().withConsiderSecure(true))));
        ParleyServer server = new ParleyServer(config);
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return new HttpListener(server);
    }

    int port() {
        return server.httpPort();
    }

    ParleyServer server() {
        return server;
    }

    BoshSessions bosh() {
        return server.http().bosh();
    }

    /** The HTTP connections the server holds open from {@code address} (counted unless it is a trusted proxy). */
    int connectionsFrom(String address) throws UnknownHostException {
        return server.http().connections().count(InetAddress.getByName(address));
    }

    /**
     * Waits until every event loop has run what was queued on it when this was called, and what
     * that queued in turn: a connection's close, seen by the client, has then been fully handled
     * (the close queues its {@code channelInactive} as a task of its own).
     */
    void settle() throws Exception {
        for (EventExecutor loop : server.http().loops()) {
            Future<Future<?>> first = loop.submit(() -> loop.submit(() -> { }));
            first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
