package im.parley.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after the server closed its stream (RFC 6120 §4.4: after
 * {@code </stream:stream>} an entity "SHOULD wait for the other party to close its stream" and
 * terminates the connection after a timeout), so that the peer reads everything the server sent
 * last, a stream error above all. Closing at once would make the kernel answer bytes the peer is
 * still sending (the rest of the stanza that caused a {@code policy-violation}, say) with a TCP
 * reset, and a reset makes the peer's kernel drop what it had received and not yet read: the
 * stream error with it.
 *
 * <p>So: TLS {@code close_notify}, a half close (FIN), then whatever the peer still sends is read
 * and thrown away, unparsed and unanswered, until it closes its side or {@link #LINGER} passes.
 * When the peer closed its stream first, the server only answers with its closing tag and waits
 * for the peer to end the connection ({@link #closeAfterPeerClosed}). Transports that cannot half
 * close (embedded test channels) close at once.
 */
public final class GracefulClose {

    /**
     * How long a connection whose stream the server closed is kept for the peer to close its side
     * (documented in docs/security.md, "What listens"): long enough for a client to read a stream
     * error over a slow link, short enough that closed connections cost nothing for long.
     */
    public static final Duration LINGER = Duration.ofSeconds(2);

    private static final String HANDLER = "graceful-close";

    private GracefulClose() {
    }

    /** Flushes what is queued, then closes as described above. Idempotent. */
    public static void closeAfterFlush(Channel channel) {
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(flushed -> close(channel));
    }

    /**
     * Flushes what is queued (the answer to the peer's own closing tag) and leaves the connection
     * for the peer to end: it closed its stream first, so it terminates the connection once it
     * has read the server's closing tag (RFC 6120 §4.4). Only if it has not after {@link #LINGER}
     * does the server close (TLS {@code close_notify}, then the connection). A {@code close_notify}
     * right behind the closing tag would reach the peer in the same read, and some clients (Smack's
     * non-blocking connection) drop the data of a read that ends in one: the closing tag with it.
     * Idempotent.
     */
    public static void closeAfterPeerClosed(Channel channel) {
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            if (channel instanceof DuplexChannel && channel.isActive()) {
                discardUntilClosed(channel);
            } else {
                channel.close();
            }
        });
    }

    private static void close(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        if (!discardUntilClosed(channel)) {
            return;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        ChannelFuture tlsClosed = tls != null ? tls.closeOutbound() : channel.newSucceededFuture();
        tlsClosed.addListener(done -> {
            if (channel.isActive()) {
                duplex.shutdownOutput();
            }
        });
    }

    /**
     * From now on what the peer sends is read and dropped, unparsed, until it closes its side or
     * {@link #LINGER} passes; false if that was arranged already.
     */
    private static boolean discardUntilClosed(Channel channel) {
        if (channel.pipeline().get(HANDLER) != null) {
            return false;
        }
        // In front of TLS and the XML decoder: nothing the peer sends now is parsed.
        channel.pipeline().addFirst(HANDLER, new Discard());
        channel.config().setAutoRead(true);
        channel.read();
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
        return true;
    }

    /** Reads and drops; the channel closes when the peer closes its side (no half-closure allowed). */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ReferenceCountUtil.release(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
