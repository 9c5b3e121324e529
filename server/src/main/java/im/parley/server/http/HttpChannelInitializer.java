package im.parley.server.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
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
import java.util.List;

/**
 * Builds the pipeline of an HTTP connection, one named handler per concern (STYLE.md #6):
 * {@code tls} (HTTPS, certificate by SNI), {@code http-codec}, {@code http-aggregator}
 * (request bodies bounded by {@code http.max_request_size}), {@code cors}, {@code websocket}
 * (the RFC 6455 handshake on {@value #WEBSOCKET_PATH}, subprotocol {@code xmpp}; after it,
 * {@link WebSocketUpgradeHandler} installs the XMPP framing) and {@code http} ({@link HttpRequestHandler}:
 * BOSH and host-meta).
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

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
        ChannelPipeline pipeline = channel.pipeline();
        int maxBytes = bindings.config().maxRequestBytes();
        if (tls) {
            pipeline.addLast("tls", new SniHandler(bindings.c2s().tls()));
        }
        pipeline.addLast("http-codec", new HttpServerCodec());
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
