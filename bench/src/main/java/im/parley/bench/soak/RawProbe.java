package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One unauthenticated connection of the churn, written byte by byte as a hostile or broken
 * client would: a subclass says what to send and which answer is the expected one. The probe
 * ends once, as expected or not, and then the connection is dropped without a goodbye.
 *
 * <p>It sits first in the pipeline, so it sees the server's bytes as they arrive, TLS records
 * included; what it received is kept as Latin-1 text (the first 16 KB) to look for answers in.
 */
abstract class RawProbe extends ChannelInboundHandlerAdapter {
    private static final String STREAM_HEADER = "<?xml version='1.0'?><stream:stream to='%s' version='1.0'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final int MAX_KEPT = 16 * 1024;

    private final ProbeTally tally;
    private final double answerSeconds;
    private final String domain;
    private final StringBuilder received = new StringBuilder();
    private boolean finished;

    /** {@code domain}: the XMPP domain the probe names, in a stream header or a BOSH body. */
    RawProbe(ProbeTally tally, double answerSeconds, String domain) {
        this.tally = tally;
        this.answerSeconds = answerSeconds;
        this.domain = domain;
    }

    /** The connection is up: send the first bytes, by default a stream header. */
    void connected(ChannelHandlerContext ctx) {
        openStream(ctx);
    }

    /** More bytes arrived; {@code all} is everything so far. */
    abstract void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all);

    /** The server closed the connection before the probe ended: unexpected unless a probe says so. */
    void serverClosed(ChannelHandlerContext ctx, CharSequence all) {
        unexpected(ctx, "closed by the server after " + preview(all));
    }

    String domain() {
        return domain;
    }

    /** Sends a client stream header (RFC 6120 §4.7). */
    void openStream(ChannelHandlerContext ctx) {
        write(ctx, String.format(STREAM_HEADER, domain));
    }

    final void expected(ChannelHandlerContext ctx) {
        if (!finished) {
            finished = true;
            tally.expected();
            ctx.close();
        }
    }

    final void unexpected(ChannelHandlerContext ctx, String reason) {
        if (!finished) {
            finished = true;
            tally.unexpected(reason);
            ctx.close();
        }
    }

    static void write(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    static void write(ChannelHandlerContext ctx, byte[] bytes) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> unexpected(ctx, "no answer within " + answerSeconds + " s after "
                + preview(received)), (long) (answerSeconds * 1000), TimeUnit.MILLISECONDS);
        connected(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (received.length() < MAX_KEPT) {
                received.append(bytes.toString(bytes.readerIndex(),
                        Math.min(bytes.readableBytes(), MAX_KEPT - received.length()), StandardCharsets.ISO_8859_1));
            }
            if (!finished) {
                receivedBytes(ctx, bytes, received);
            }
        } finally {
            bytes.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            serverClosed(ctx, received);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && !finished) {
            // A reset: the server closed with our bytes unread. Judge it as a close.
            serverClosed(ctx, received);
        } else if (!finished) {
            unexpected(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }

    /** The start of what the server sent, printable, for a failure reason. */
    static String preview(CharSequence all) {
        if (all.length() == 0) {
            return "nothing received";
        }
        String start = all.subSequence(0, Math.min(80, all.length())).toString();
        return "'" + start.replaceAll("[^\\x20-\\x7e]", ".") + "'";
    }
}
