package im.parley.server.http;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.net.PeerFaults;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.C2sStreamProcessor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a WebSocket connection that speaks XMPP (RFC 7395): hands decoded input to a
 * {@link C2sStreamProcessor}, the same one TCP streams use, so SASL, binding and every
 * feature behave exactly as over TCP. A connection that sends nothing for
 * {@code http.websocket_idle_timeout} is probed with a WebSocket ping (§3.8; RFC 6455 §5.5.2:
 * the client must answer with a pong); one that then sends nothing for as long again is gone,
 * and is closed as a dropped TCP connection would be (so a stream-management session can still
 * be resumed). Netty answers the client's pings with pongs.
 */
final class WebSocketStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketStreamHandler.class);

    private final C2sContext context;
    private final List<FeatureNegotiator<C2sSession>> features;
    private final XmppFramingDecoder decoder;
    private final boolean considerSecure;
    private C2sStreamProcessor processor;
    private boolean peerFaultLogged;

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
        if (evt instanceof IdleStateEvent idle && idle.isFirst()) {
            ctx.writeAndFlush(new PingWebSocketFrame());
        } else if (evt instanceof IdleStateEvent) {
            LOG.debug("{}: no answer to a WebSocket ping, closed", processor.session());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * A reset, a frame the decoder refused (Netty has sent the close status for it, RFC 6455
     * §7.4.1) or a message over {@code http.max_request_size}: the peer's fault, one debug line
     * for the first of them.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            if (!peerFaultLogged) {
                peerFaultLogged = true;
                LOG.debug("{}: connection error: {}", processor.session(), PeerFaults.describe(cause));
            }
            ctx.close();
        } else {
            processor.internalError(cause);
        }
    }
}
