package im.parley.server.modules.proxy65;

import im.parley.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's TCP listener: each connection negotiates SOCKS5 ({@link Socks5Negotiation}) and
 * then waits for activation or relays ({@link RelayHandler}); one that is not relaying within
 * the activation time is closed, and an address has at most {@code maxPerAddress} connections.
 * Its own small event loop group: relaying never shares a thread with XMPP streams.
 */
final class Socks5Listener implements AutoCloseable {

    private final EventLoopGroup loops;
    private final Channel server;

    private Socks5Listener(EventLoopGroup loops, Channel server) {
        this.loops = loops;
        this.server = server;
    }

    static Socks5Listener bind(InetSocketAddress address, Bytestreams bytestreams, Proxy65Limits limits) {
        Transport transport = new Transport();
        EventLoopGroup loops = transport.newGroup("proxy65", 2);
        Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
        try {
            Channel server = new ServerBootstrap().group(loops).channel(transport.serverChannel())
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            InetAddress peer = channel.remoteAddress().getAddress();
                            if (perAddress.merge(peer, 1, Integer::sum) > limits.maxPerAddress()) {
                                perAddress.merge(peer, -1, Proxy65Limits::decrement);
                                channel.close();
                                return;
                            }
                            channel.closeFuture().addListener(closed -> perAddress.merge(peer, -1,
                                    Proxy65Limits::decrement));
                            RelayHandler relay = new RelayHandler(bytestreams, limits.bytesPerSecond());
                            channel.pipeline()
                                    .addLast("socks5-encoder", Socks5ServerEncoder.DEFAULT)
                                    .addLast("socks5-initial", new Socks5InitialRequestDecoder())
                                    .addLast("socks5-negotiation", new Socks5Negotiation(bytestreams, relay))
                                    .addLast("relay", relay);
                            Duration timeout = limits.activationTimeout();
                            channel.eventLoop().schedule(relay::closeUnlessActive, timeout.toMillis(),
                                    TimeUnit.MILLISECONDS);
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            return new Socks5Listener(loops, server);
        } catch (Exception e) {
            // Netty rethrows the BindException undeclared.
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("proxy65: cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
