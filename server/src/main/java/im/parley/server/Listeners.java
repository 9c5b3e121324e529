package im.parley.server;

import im.parley.s2s.S2sRouter;
import im.parley.server.c2s.C2sChannelInitializer;
import im.parley.server.c2s.C2sContext;
import im.parley.server.component.ComponentChannelInitializer;
import im.parley.server.component.ComponentRouter;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.http.HttpBindings;
import im.parley.server.http.HttpChannelInitializer;
import im.parley.server.http.HttpServices;
import im.parley.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The listening sockets of one server, bound when the config enables them: client streams with
 * STARTTLS (RFC 6120 §5) and direct TLS (XEP-0368 §2), BOSH (XEP-0206) and WebSocket (RFC 7395)
 * over HTTP and HTTPS, server streams (RFC 6120 §5; XEP-0368 §2 for direct TLS) and external
 * components (XEP-0114 §3). Keeps the port and the banner line of each, and closes them in the
 * order they were bound.
 */
final class Listeners {

    /** Each kind of listener, with the words that start its banner line. */
    enum Kind {
        C2S("c2s "),
        DIRECT_TLS("direct TLS "),
        HTTP("BOSH/WebSocket http://"),
        HTTPS("BOSH/WebSocket https://"),
        S2S("s2s "),
        S2S_DIRECT_TLS("s2s direct TLS "),
        COMPONENTS("components ");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final ParleyConfig config;
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    /** In bind order (the kinds' order); its iterators never fail on a concurrent change (the health check reads it). */
    private final Map<Kind, Channel> bound = new EnumMap<>(Kind.class);
    private final List<String> descriptions = new ArrayList<>();

    Listeners(ParleyConfig config, Transport transport, EventLoopGroup bossGroup, EventLoopGroup workerGroup) {
        this.config = config;
        this.transport = transport;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
    }

    /** The c2s (STARTTLS) and direct TLS client listeners the config enables. */
    void bindClients(C2sContext c2s) throws IOException {
        Duration idleParserRelease = config.limits().idleParserRelease();
        if (config.c2s().enabled()) {
            bind(Kind.C2S, config.c2s(), new C2sChannelInitializer(c2s, false, idleParserRelease),
                    config.tls().starttlsRequired() ? " (STARTTLS required)" : "");
        }
        if (config.directTls().enabled()) {
            bind(Kind.DIRECT_TLS, config.directTls(), new C2sChannelInitializer(c2s, true, idleParserRelease), "");
        }
    }

    /**
     * The HTTP and HTTPS listeners (BOSH, WebSocket, host-meta, the modules' services) the config enables; both share
     * one set of bindings, returned, or null when neither is enabled.
     */
    HttpBindings bindHttp(C2sContext c2s, HttpServices services) throws IOException {
        if (!config.http().enabled() && !config.web().https().enabled()) {
            return null;
        }
        HttpBindings http = new HttpBindings(c2s, config.web(), workerGroup, services);
        if (config.http().enabled()) {
            bind(Kind.HTTP, config.http(), new HttpChannelInitializer(http, false), "");
        }
        if (config.web().https().enabled()) {
            bind(Kind.HTTPS, config.web().https(), new HttpChannelInitializer(http, true), "");
        }
        return http;
    }

    /** The s2s (STARTTLS) listener, and the s2s direct TLS one when the config enables it. */
    void bindFederation(S2sRouter s2s) throws IOException {
        bind(Kind.S2S, config.s2s(), s2s.inboundInitializer(false), "");
        if (config.federation().directTls().enabled()) {
            bind(Kind.S2S_DIRECT_TLS, config.federation().directTls(), s2s.inboundInitializer(true), "");
        }
    }

    /** The external component listener when the config enables it, or null. */
    Channel bindComponents(ComponentRouter componentRouter) throws IOException {
        if (!config.components().listener().enabled()) {
            return null;
        }
        return bind(Kind.COMPONENTS, config.components().listener(), new ComponentChannelInitializer(
                componentRouter, config.limits().xml(config.limits().maxStanzaSize())), "");
    }

    /** The address a listener of this kind is bound to, or null. */
    InetSocketAddress address(Kind kind) {
        Channel channel = bound.get(kind);
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    /** The port a listener of this kind is bound to, or -1. */
    int port(Kind kind) {
        Channel channel = bound.get(kind);
        return channel == null ? -1 : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** True while every bound listener is open (for the health check). */
    boolean allOpen() {
        for (Channel channel : bound.values()) {
            if (!channel.isActive()) {
                return false;
            }
        }
        return true;
    }

    /** One line per bound listener, in the order they were bound, e.g. {@code c2s 127.0.0.1:5222}. */
    List<String> descriptions() {
        return List.copyOf(descriptions);
    }

    /** Closes the listening sockets, waiting for each at most until {@code deadline} ({@link System#nanoTime()}). */
    void close(long deadline) {
        for (Channel listener : bound.values()) {
            listener.close().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        bound.clear();
    }

    private Channel bind(Kind kind, ListenerConfig listener, ChannelInitializer<SocketChannel> initializer,
            String remark) throws IOException {
        ChannelFuture future = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(initializer)
                .bind(new InetSocketAddress(listener.address(), listener.port()))
                .awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException("cannot listen on " + listener.address() + ":" + listener.port() + ": "
                    + future.cause().getMessage(), future.cause());
        }
        Channel channel = future.channel();
        bound.put(kind, channel);
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        descriptions.add(kind.label + address.getAddress().getHostAddress() + ":" + address.getPort() + remark);
        return channel;
    }
}
