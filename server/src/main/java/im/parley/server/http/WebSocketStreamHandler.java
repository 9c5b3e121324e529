package im.parley.server.http;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.C2sStreamProcessor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a WebSocket connection that speaks XMPP (RFC 7395): hands decoded input to a
 * {@link C2sStreamProcessor}, the same one TCP streams use, so SASL, binding and every
 * feature behave exactly as over TCP. An idle connection is probed with a WebSocket ping
 * (§3.8); Netty answers the client's pings with pongs.
 */
final class WebSocketStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketStreamHandler.class);

    private final C2sContext context;
    private final List<FeatureNegotiator<C2sSession>> features;
    private final XmppFramingDecoder decoder;
    private final boolean considerSecure;
    private C2sStreamProcessor processor;

    WebSocketStreamHandler(C2sContext context, List<FeatureNegotiator<C2sSession>> features,
                           XmppFramingDecoder decoder, boolean considerSecure) {
        this.context = context;
        this.features = features;
        this.decoder = decoder;
        this.considerSecure = considerSecure;
    }

    /** Added once the WebSocket handshake is done: the stream starts now. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        processor = new C2sStreamProcessor(context, features,
                new WebSocketTransport(ctx.channel(), decoder, considerSecure));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        processor.disconnected();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        processor.receive(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(new PingWebSocketFrame());
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof javax.net.ssl.SSLException
                || cause.getCause() instanceof javax.net.ssl.SSLException) {
            LOG.debug("{}: connection error: {}", processor.session(), cause.toString());
            ctx.close();
        } else {
            processor.internalError(cause);
        }
    }
}
