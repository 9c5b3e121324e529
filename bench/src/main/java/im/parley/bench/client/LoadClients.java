package im.parley.bench.client;

import im.parley.core.tls.TlsProvider;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Thousands of {@link XmppClient}s on a few event-loop threads. Each new connection binds to
 * the next source address in turn, so every address brings its own ephemeral port range.
 */
public final class LoadClients implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 15_000;

    private final ClientOptions options;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final AtomicInteger nextSource = new AtomicInteger();

    public LoadClients(ClientOptions options, int threads) {
        this.options = options;
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS);
        this.tls = clientTls();
    }

    public ClientOptions options() {
        return options;
    }

    /**
     * Starts connecting user {@code user} and logging it in; progress arrives at {@code events}.
     * Non-blocking: returns at once.
     */
    public XmppClient connect(int user, ClientEvents events) {
        return connect(user, options, events);
    }

    /** As {@link #connect(int, ClientEvents)}, with other login options for this one client. */
    public XmppClient connect(int user, ClientOptions clientOptions, ClientEvents events) {
        return connect(user, clientOptions, events, null);
    }

    /** As {@link #connect(int, ClientOptions, ClientEvents)}, with stream management (XEP-0198; null: none). */
    public XmppClient connect(int user, ClientOptions clientOptions, ClientEvents events, StreamManagement sm) {
        return connect(user, clientOptions, events, sm, nextSource(clientOptions));
    }

    /**
     * As {@link #connect(int, ClientOptions, ClientEvents)}, with stream management (XEP-0198;
     * null: none) and from the given source address (null: any).
     */
    public XmppClient connect(int user, ClientOptions clientOptions, ClientEvents events, StreamManagement sm,
                              InetSocketAddress source) {
        XmppClient client = new XmppClient(user, clientOptions, tls, events, sm, System.nanoTime());
        connectRaw(clientOptions.serverFor(user), source, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // The server is trusted to send sane XML; the limits only guard the generator.
                ch.pipeline().addLast("xml", new XmppStreamDecoder(new XmlLimits(4 * 1024 * 1024, 64)));
                ch.pipeline().addLast("client", client);
            }
        }).addListener(done -> {
            if (!done.isSuccess()) {
                client.connectFailed(done.cause());
            }
        });
        return client;
    }

    /**
     * Opens a connection that speaks whatever {@code handler} writes, from {@code source} (null:
     * any), on this generator's event loops. Non-blocking.
     */
    public ChannelFuture connectRaw(InetSocketAddress target, InetSocketAddress source, ChannelHandler handler) {
        Bootstrap b = bootstrap.clone().handler(handler);
        return source == null ? b.connect(target) : b.connect(target, source);
    }

    /** The next of the options' source addresses in turn, or null (any) if they name none. */
    private InetSocketAddress nextSource(ClientOptions clientOptions) {
        var sources = clientOptions.sourceAddresses();
        return sources.isEmpty() ? null : sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
    }

    /** The generator's event loops, for timers of its own. */
    public ScheduledExecutorService timers() {
        return group;
    }

    /** The client TLS context: no certificate checks, BoringSSL when it loads. */
    public SslContext tls() {
        return tls;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SslContext clientTls() {
        try {
            // Test servers use self-signed certificates; the benchmark measures, it does not verify.
            // BoringSSL (when it loads) keeps the generator's handshakes cheap: it shares the cores.
            return SslContextBuilder.forClient().sslProvider(TlsProvider.AUTO.netty())
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    /** The default source addresses: 127.0.1.1 to 127.0.1.{count}, all on loopback. */
    public static java.util.List<InetSocketAddress> loopbackSources(int count) {
        java.util.List<InetSocketAddress> sources = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sources.add(new InetSocketAddress("127.0.1." + i, 0));
        }
        return sources;
    }
}
