package im.parley.server.http;

import im.parley.server.net.PerAddressCounter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SniHandler;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of an HTTP connection, one named handler per concern (STYLE.md #6):
 * {@code tls} (HTTPS, certificate by SNI), {@code http-input} and {@code http-deadlines}
 * ({@link HttpDeadlines}: a deadline for every stage of a request), {@code http-codec} (request
 * line and headers bounded by {@code http.max_header_size}), {@code http-modules}
 * ({@link ModuleRequestHandler}: requests under a module's prefix, streamed to its
 * {@link HttpService}), {@code http-aggregator} (request
 * bodies bounded by {@code http.max_request_size}), {@code cors}, {@code websocket} (the
 * RFC 6455 handshake on {@value #WEBSOCKET_PATH}, subprotocol {@code xmpp}; after it,
 * {@link WebSocketUpgradeHandler} installs the XMPP framing) and {@code http}
 * ({@link HttpRequestHandler}: BOSH and host-meta). A connection from an address that already
 * has {@code http.max_connections_per_address} open is closed before any of this.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpChannelInitializer.class);

    public static final String BOSH_PATH = "/http-bind";
    public static final String WEBSOCKET_PATH = "/xmpp-websocket";
    /** RFC 7395 §3.1: the WebSocket subprotocol of XMPP. */
    static final String SUBPROTOCOL = "xmpp";

    private final HttpBindings bindings;
    private final boolean tls;
    private final CorsConfig cors;

    public HttpChannelInitializer(HttpBindings bindings, boolean tls) {
        this.bindings = bindings;
        this.tls = tls;
        this.cors = corsConfig(bindings.config().corsOrigins());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (!admit(channel)) {
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        int maxBytes = bindings.config().maxRequestBytes();
        int maxHeaderBytes = bindings.config().limits().maxHeaderBytes();
        if (tls) {
            pipeline.addLast("tls", new SniHandler(bindings.c2s().tls()));
        }
        HttpDeadlines deadlines = new HttpDeadlines(bindings.config().limits());
        pipeline.addLast("http-input", deadlines.inputWatcher());
        pipeline.addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxHeaderBytes)
                .setMaxHeaderSize(maxHeaderBytes)));
        pipeline.addLast("http-deadlines", deadlines);
        pipeline.addLast("http-modules", new ModuleRequestHandler(bindings.services(), deadlines,
                bindings.config().limits().bodyTimeout()));
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(maxBytes));
        pipeline.addLast("cors", new CorsHandler(cors));
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .subprotocols(SUBPROTOCOL)
                .checkStartsWith(false)
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxBytes).build())
                .build()));
        pipeline.addLast("websocket-upgrade", new WebSocketUpgradeHandler(bindings));
        pipeline.addLast("http", new HttpRequestHandler(bindings, tls));
    }

    /**
     * Counts the connection against its address's {@code http.max_connections_per_address},
     * until it closes. One over the limit is closed at once: no request has been read, so no
     * status could answer one (nginx's {@code limit_conn} answers 503 only because it counts
     * after reading the headers), and reading it is the cost the limit saves. Trusted proxies
     * are not counted.
     */
    private boolean admit(SocketChannel channel) {
        InetAddress address = ClientAddresses.peer(channel);
        PerAddressCounter connections = bindings.connections();
        if (!connections.tryAcquire(address)) {
            LOG.debug("{}: HTTP connection refused, {} open from this address", channel.remoteAddress(),
                    connections.count(address));
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(f -> connections.release(address));
        return true;
    }

    /** CORS for browser pages from other origins (the Fetch standard's CORS protocol), with preflight. */
    static CorsConfig corsConfig(List<String> origins) {
        CorsConfigBuilder builder;
        if (origins.contains("*")) {
            builder = CorsConfigBuilder.forAnyOrigin();
        } else if (origins.isEmpty()) {
            builder = CorsConfigBuilder.forAnyOrigin().disable();
        } else {
            builder = CorsConfigBuilder.forOrigins(origins.toArray(String[]::new));
        }
        return builder.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
                .allowedRequestHeaders("Content-Type")
                .maxAge(86_400)
                .build();
    }
}
