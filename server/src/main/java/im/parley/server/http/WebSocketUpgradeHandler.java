package im.parley.server.http;

import im.parley.core.net.ReadRateLimiter;
import im.parley.server.config.LimitsConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Turns an HTTP connection into an XMPP stream once the WebSocket handshake completed with the
 * {@code xmpp} subprotocol (RFC 7395 §3.1); a handshake without it is closed with a protocol
 * error, as the subprotocol is what makes the messages XMPP.
 */
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {

    private final HttpBindings bindings;

    WebSocketUpgradeHandler(HttpBindings bindings) {
        this.bindings = bindings;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        if (!HttpChannelInitializer.SUBPROTOCOL.equals(handshake.selectedSubprotocol())) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "the xmpp subprotocol is required")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        int maxBytes = bindings.config().maxRequestBytes();
        LimitsConfig limits = bindings.c2s().limits();
        int maxBytesBeforeAuth = Math.min(maxBytes, limits.maxStanzaSizeBeforeAuth());
        XmppFramingDecoder decoder = new XmppFramingDecoder(maxBytesBeforeAuth, limits.xml(maxBytesBeforeAuth));
        ChannelPipeline pipeline = ctx.pipeline();
        // In front of the WebSocket frame decoder: the client's bytes per second, as on TCP.
        ReadRateLimiter.addBefore(pipeline, "wsdecoder", limits.input().c2sRead());
        pipeline.remove("http");
        pipeline.remove("cors");
        pipeline.addAfter(ctx.name(), "websocket-aggregator", new WebSocketFrameAggregator(maxBytes));
        pipeline.addAfter("websocket-aggregator", "xmpp-framing-decoder", decoder);
        pipeline.addAfter("xmpp-framing-decoder", "xmpp-framing-encoder", new XmppFramingEncoder());
        // RFC 7395 §3.8: a connection that sends nothing is probed with a ping (WebSocketStreamHandler).
        // Before the frame decoder, where every byte counts, even of a frame still incomplete, and
        // pongs too (the protocol handler drops them).
        pipeline.addAfter("http-input", "websocket-idle", new IdleStateHandler(
                bindings.config().limits().websocketIdleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addAfter("xmpp-framing-encoder", "xmpp", new WebSocketStreamHandler(bindings.c2s(), bindings.c2s().features().newNegotiators(),
                decoder, bindings.config().considerSecure()
                        || ClientAddresses.isDirectLoopback(ctx.channel(), handshake.requestHeaders())));
        pipeline.remove(this);
    }
}
