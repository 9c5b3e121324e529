package im.parley.server.modules.proxy65;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a bytestream once its SOCKS5 CONNECT succeeded: it reads nothing until the stream is
 * activated (XEP-0065 §Implementation Notes: "Ignore but not drop any bytes sent before the
 * bytestream is activated"; the socket keeps them), then relays to its peer, reading only while
 * the peer can take more. Bytes that arrived with the SOCKS5 request are kept for the peer.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter implements Bytestreams.Party {

    private final Bytestreams bytestreams;
    /** Bytes per second written to this connection; 0: no limit. */
    private final long rate;
    private final List<Object> early = new ArrayList<>();
    private Channel channel;
    private String hash;
    private RelayHandler peer;

    RelayHandler(Bytestreams bytestreams, long rate) {
        this.bytestreams = bytestreams;
        this.rate = rate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** The SOCKS5 request named {@code hash} and was accepted: wait, reading nothing, for activation. */
    void waiting(String hash) {
        this.hash = hash;
        channel.config().setAutoRead(false);
    }

    @Override
    public void relayTo(Bytestreams.Party other) {
        channel.eventLoop().execute(() -> start((RelayHandler) other));
    }

    @Override
    public void close() {
        channel.close();
    }

    /** Closes a connection that was not activated in time (or never finished its SOCKS5 request). */
    void closeUnlessActive() {
        if (peer == null) {
            channel.close();
        }
    }

    private void start(RelayHandler other) {
        if (!channel.isActive()) {
            return;
        }
        if (rate > 0) {
            channel.pipeline().addFirst("rate", new ChannelTrafficShapingHandler(rate, 0));
        }
        peer = other;
        early.forEach(message -> peer.channel.write(message));
        early.clear();
        peer.channel.flush();
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (peer == null) {
            early.add(message);
            return;
        }
        peer.channel.writeAndFlush(message);
        if (!peer.channel.isWritable()) {
            channel.config().setAutoRead(false);
        }
    }

    /** Back-pressure: this side drained what its peer sent, so the peer may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (peer != null && channel.isWritable()) {
            peer.channel.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (hash != null) {
            bytestreams.disconnected(hash, this);
        }
        if (peer != null) {
            // What the peer still has to deliver goes first.
            peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
