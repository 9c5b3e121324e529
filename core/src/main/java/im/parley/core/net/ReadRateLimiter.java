package im.parley.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a connection's bytes no faster than a {@link ByteRate}, as Prosody's mod_limits and
 * ejabberd's shapers do (RFC 6120 §13.12 on denial of service): a token bucket holds up to the
 * burst and refills at the rate; each read spends what it brought, possibly into debt, as the
 * bytes are already read. In debt, reading pauses (auto-read off, and reads other handlers ask
 * for are held back) until the bucket has refilled to zero. Nothing is dropped and nothing is
 * refused: a client over its rate is slowed down, not disconnected.
 *
 * <p>Other handlers may pause reading too (a stream feature step, an s2s negotiation): a read
 * they ask for while the limiter holds back waits for it, and the limiter turns auto-read back
 * on only if it turned it off. Time is the event loop's ticker, so tests can control it.
 *
 * <p>Netty's {@code ChannelTrafficShapingHandler} was not used: it has no burst, measures time
 * with {@code System.nanoTime()} (untestable without sleeping), and its resume turns auto-read
 * on whoever turned it off.
 */
public final class ReadRateLimiter extends ChannelDuplexHandler {

    /** The name of the limiter in a pipeline. */
    public static final String NAME = "read-limit";

    private static final double NANOS_PER_SECOND = 1e9;

    private final ByteRate rate;
    /** Bytes that may still be read before pausing; negative: read ahead of the rate. */
    private double balance;
    private long refilledAt;
    /** Set while reading is paused. */
    private ScheduledFuture<?> resume;
    private boolean autoReadCleared;

    public ReadRateLimiter(ByteRate rate) {
        if (rate.isUnlimited()) {
            throw new IllegalArgumentException("an unlimited rate needs no limiter");
        }
        this.rate = rate;
        this.balance = rate.burstBytes();
    }

    /**
     * Adds a limiter in front of the handler named {@code next} (the XML decoder: after TLS,
     * so it counts the bytes of the stream), unless the rate is unlimited.
     */
    public static void addBefore(ChannelPipeline pipeline, String next, ByteRate rate) {
        if (!rate.isUnlimited()) {
            pipeline.addBefore(next, NAME, new ReadRateLimiter(rate));
        }
    }

    /** True while reading is paused for the rate. */
    public boolean isPaused() {
        return resume != null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        refilledAt = now(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            spend(ctx, bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (resume == null) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelResume();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelResume();
    }

    private void spend(ChannelHandlerContext ctx, int bytes) {
        refill(ctx);
        balance -= bytes;
        if (balance < 0 && resume == null && ctx.channel().isActive()) {
            ChannelConfig config = ctx.channel().config();
            autoReadCleared = config.isAutoRead();
            if (autoReadCleared) {
                config.setAutoRead(false);
            }
            scheduleResume(ctx);
        }
    }

    private void scheduleResume(ChannelHandlerContext ctx) {
        long waitNanos = (long) Math.ceil(-balance * NANOS_PER_SECOND / rate.bytesPerSecond());
        resume = ctx.executor().schedule(() -> tryResume(ctx), waitNanos, TimeUnit.NANOSECONDS);
    }

    private void tryResume(ChannelHandlerContext ctx) {
        refill(ctx);
        if (balance < 0) {
            scheduleResume(ctx);
            return;
        }
        resume = null;
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            // Turned back on while paused: the read that came with it was held back.
            ctx.read();
        } else if (autoReadCleared) {
            config.setAutoRead(true);
        }
        autoReadCleared = false;
    }

    private void refill(ChannelHandlerContext ctx) {
        long now = now(ctx);
        balance = Math.min(rate.burstBytes(), balance + (now - refilledAt) * rate.bytesPerSecond() / NANOS_PER_SECOND);
        refilledAt = now;
    }

    private void cancelResume() {
        if (resume != null) {
            resume.cancel(false);
            resume = null;
        }
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
