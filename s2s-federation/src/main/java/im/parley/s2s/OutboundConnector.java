package im.parley.s2s;

import im.parley.core.net.ReadRateLimiter;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.s2s.dns.S2sTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Opens the TCP connection of an outbound stream and builds its pipeline, one named handler per
 * concern (STYLE.md #6): {@code tls} (from the start for direct TLS, XEP-0368; or added on
 * {@code <proceed/>}), {@code xml-decoder}, {@code xml-encoder} (which holds back stanzas over the
 * peer's XEP-0478 limit, {@link OutboundStreamEncoder}), {@code idle}, {@code s2s-out}.
 * The address was resolved beforehand, off the event loop.
 */
final class OutboundConnector {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final S2sSettings settings;

    OutboundConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass, S2sSettings settings) {
        this.group = group;
        this.channelClass = channelClass;
        this.settings = settings;
    }

    void connect(S2sTarget target, InetSocketAddress address, OutboundStreamHandler handler) {
        ChannelFuture future = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (target.directTls()) {
                            SslContext tls = handler.clientTls();
                            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc(),
                                    handler.remoteDomain(), target.address().port()));
                        }
                        channel.pipeline().addLast("xml-decoder", new XmppStreamDecoder(settings.limitsBeforeAuth()));
                        ReadRateLimiter.addBefore(channel.pipeline(), "xml-decoder", settings.readRate());
                        channel.pipeline().addLast("xml-encoder", new OutboundStreamEncoder(handler::stanzaTooLarge));
                        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0,
                                settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        channel.pipeline().addLast("s2s-out", handler);
                    }
                })
                .connect(address);
        Channel channel = future.channel();
        handler.attach(channel);
        future.addListener(done -> {
            if (!done.isSuccess()) {
                handler.connectFailed(done.cause());
            }
        });
    }
}
