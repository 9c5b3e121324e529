package im.parley.s2s;

import im.parley.core.routing.StanzaRouter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parley's s2s listener for {@link TestS2sRouters#LOCAL} on an ephemeral loopback port, one event
 * loop, STARTTLS required, for tests that connect a {@link ScriptedS2sPeer} to it: the peers whose
 * certificates are {@code anchors} are offered SASL EXTERNAL; what federation hands to the local
 * router goes to {@code local}.
 */
final class InboundListener implements AutoCloseable {

    private final EventLoopGroup group;
    private final S2sRouter router;
    private final Channel listener;

    private InboundListener(EventLoopGroup group, S2sRouter router, Channel listener) {
        this.group = group;
        this.router = router;
        this.listener = listener;
    }

    static InboundListener start(List<X509Certificate> anchors, StanzaRouter local) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        S2sRouter router = TestS2sRouters.start(group, Map.of(), true, anchors, Duration.ofSeconds(30), local);
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(router.inboundInitializer(false))
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return new InboundListener(group, router, listener);
    }

    S2sRouter router() {
        return router;
    }

    /** A peer connected to the listener. */
    ScriptedS2sPeer connect() throws Exception {
        return ScriptedS2sPeer.connect((InetSocketAddress) listener.localAddress());
    }

    @Override
    public void close() throws Exception {
        listener.close().sync();
        router.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
