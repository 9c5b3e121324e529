package im.parley.s2s;

import im.parley.core.net.ReadRateLimiter;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of an inbound server-to-server connection, one named handler per concern
 * (STYLE.md #6): {@code tls} (direct TLS on the XEP-0368 port, picked by SNI; or added by
 * STARTTLS), {@code read-limit} (the peer's bytes per second, {@link ReadRateLimiter}), {@code xml-decoder},
 * {@code xml-encoder}, {@code idle}, {@code s2s-in}.
 */
public final class S2sChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final S2sRouter router;
    private final boolean directTls;

    S2sChannelInitializer(S2sRouter router, boolean directTls) {
        this.router = router;
        this.directTls = directTls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (directTls) {
            pipeline.addLast("tls", new SniHandler(router.tls()));
        }
        addStreamHandlers(pipeline, router);
    }

    /**
     * How long an inbound stream may go without traffic before its handler closes it, once
     * authenticated ({@link InboundStreamHandler}); announced as XEP-0478 {@code <idle-seconds/>}.
     */
    static Duration inboundIdleTimeout(S2sSettings settings) {
        return settings.idleTimeout().multipliedBy(2);
    }

    /** Everything after TLS: the XML codec, the idle timer and the stream handler. */
    static void addStreamHandlers(ChannelPipeline pipeline, S2sRouter router) {
        pipeline.addLast("xml-decoder", new XmppStreamDecoder(router.settings().limitsBeforeAuth()));
        ReadRateLimiter.addBefore(pipeline, "xml-decoder", router.settings().readRate());
        pipeline.addLast("xml-encoder", new XmppElementEncoder());
        // Inbound streams idle out later than outbound ones, so the peer closes its side first.
        pipeline.addLast("idle", new IdleStateHandler(0, 0, inboundIdleTimeout(router.settings()).toMillis(),
                TimeUnit.MILLISECONDS));
        pipeline.addLast("s2s-in", new InboundStreamHandler(router, InboundStreamHandler.features()));
    }
}
