package im.parley.server.modules.proxy65;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One side of a bytestream once its SOCKS5 CONNECT succeeded: until the stream is activated what
 * it receives is dropped (XEP-0065 1.8, Implementation Notes: a StreamHost SHOULD "Ignore any
 * bytes sent before the bytestream is activated"; 1.8 removed the old "but not drop", a denial of
 * service), then it relays to its peer, reading only while the peer can take more.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter implements Bytestreams.Party {

    private final Bytestreams bytestreams;
    /** Bytes per second written to this connection; 0: no limit. */
    private final long rate;
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

    /** The SOCKS5 request named {@code hash} and was accepted: wait for activation. */
    void waiting(String hash) {
        this.hash = hash;
    }

    @Override
    public CompletionStage<Void> relayTo(Bytestreams.Party other) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            start((RelayHandler) other);
            started.complete(null);
        });
        return started;
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
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (peer == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        peer.channel.writeAndFlush(message);
        if (!peer.channel.isWritable()) {
            channel.config().setAutoRead(false);
            // The peer lives on another event loop: it may have drained, and found this side still
            // reading, between the check above and the stop. Checked again after the stop, one of
            // the two sides always sees the other's last move, so this side never stays stopped.
            if (peer.channel.isWritable()) {
                channel.config().setAutoRead(true);
            }
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
