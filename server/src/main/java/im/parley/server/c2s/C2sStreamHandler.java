package im.parley.server.c2s;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.net.PeerFaults;
import im.parley.server.config.LimitsConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of a client TCP connection: hands decoded input to a {@link C2sStreamProcessor}.
 *
 * <p>It also gives back the XML parser of a connection that has read nothing for
 * {@link #DEFAULT_PARSER_IDLE_DELAY} (or the delay given), through
 * {@link TcpTransport#releaseParserIfIdle()}: most of a connection's parsing memory is the
 * parser's, most client streams are idle most of the time, and the parser is rebuilt
 * transparently when bytes arrive. At most one check per connection is scheduled, on its event
 * loop: a read while it is pending only records the time, and the check re-arms itself for what
 * is left of the delay; once it has run and found the delay elapsed, nothing is scheduled until
 * the next read.
 */
public final class C2sStreamHandler extends ChannelInboundHandlerAdapter {

    /** How long a connection reads nothing before its parser is released. */
    public static final Duration DEFAULT_PARSER_IDLE_DELAY = LimitsConfig.DEFAULT_IDLE_PARSER_RELEASE;

    private static final Logger LOG = LoggerFactory.getLogger(C2sStreamHandler.class);

    private final C2sContext context;
    private final List<FeatureNegotiator<C2sSession>> features;
    private final long parserIdleNanos;
    private C2sStreamProcessor processor;
    private TcpTransport transport;
    /** The pending idle check, or null when none is scheduled. */
    private ScheduledFuture<?> idleCheck;
    /** The event loop's clock at the end of the latest read. */
    private long lastReadNanos;

    public C2sStreamHandler(C2sContext context, List<FeatureNegotiator<C2sSession>> features) {
        this(context, features, DEFAULT_PARSER_IDLE_DELAY);
    }

    /** With the parser of an idle connection released after {@code parserIdleDelay} without reads. */
    public C2sStreamHandler(C2sContext context, List<FeatureNegotiator<C2sSession>> features,
                            Duration parserIdleDelay) {
        if (parserIdleDelay.isNegative() || parserIdleDelay.isZero()) {
            throw new IllegalArgumentException("parserIdleDelay must be positive: " + parserIdleDelay);
        }
        this.context = context;
        this.features = features;
        this.parserIdleNanos = parserIdleDelay.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        transport = new TcpTransport(ctx.channel());
        processor = new C2sStreamProcessor(context, features, transport);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        if (processor != null) {
            processor.disconnected();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        processor.receive(msg);
    }

    /** Fired after every batch of bytes read, even one that decoded to nothing. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos = ctx.executor().ticker().nanoTime();
        if (idleCheck == null) {
            armIdleCheck(ctx, parserIdleNanos);
        }
        super.channelReadComplete(ctx);
    }

    private void armIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
        if (ctx.channel().isActive()) {
            idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        idleCheck = null;
        long idleNanos = ctx.executor().ticker().nanoTime() - lastReadNanos;
        if (idleNanos < parserIdleNanos) {
            armIdleCheck(ctx, parserIdleNanos - idleNanos);
        } else {
            // Refused mid-stanza or with input pending: the bytes that complete it re-arm the check.
            transport.releaseParserIfIdle();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            LOG.debug("{}: connection error: {}", processor == null ? ctx.channel() : processor.session(),
                    PeerFaults.describe(cause));
            ctx.close();
        } else if (processor != null) {
            processor.internalError(cause);
        } else {
            ctx.close();
        }
    }
}
