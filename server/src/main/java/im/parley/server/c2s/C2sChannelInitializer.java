package im.parley.server.c2s;

import im.parley.core.net.ReadRateLimiter;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import java.time.Duration;

/**
 * Builds the pipeline of a client connection, one named handler per concern (STYLE.md #6):
 * {@code tls} (direct TLS, XEP-0368; or added later by STARTTLS), {@code read-limit} (the
 * client's bytes per second, {@link ReadRateLimiter}), {@code xml-decoder}, {@code xml-encoder},
 * {@code c2s}. The {@code c2s} handler releases the parser of a connection
 * idle for the parser idle delay ({@link C2sStreamHandler}).
 */
public final class C2sChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final C2sContext context;
    private final boolean directTls;
    private final Duration parserIdleDelay;

    public C2sChannelInitializer(C2sContext context, boolean directTls) {
        this(context, directTls, C2sStreamHandler.DEFAULT_PARSER_IDLE_DELAY);
    }

    /** With the parser of a connection released after {@code parserIdleDelay} without reads. */
    public C2sChannelInitializer(C2sContext context, boolean directTls, Duration parserIdleDelay) {
        this.context = context;
        this.directTls = directTls;
        this.parserIdleDelay = parserIdleDelay;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (directTls) {
            pipeline.addLast("tls", new SniHandler(context.tls()));
        }
        pipeline.addLast("xml-decoder",
                new XmppStreamDecoder(context.limits().xml(context.limits().maxStanzaSizeBeforeAuth())));
        ReadRateLimiter.addBefore(pipeline, "xml-decoder", context.limits().input().c2sRead());
        pipeline.addLast("xml-encoder", new XmppElementEncoder());
        pipeline.addLast("c2s", new C2sStreamHandler(context, context.features().newNegotiators(), parserIdleDelay));
    }
}
