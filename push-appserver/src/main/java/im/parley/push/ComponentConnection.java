package im.parley.push;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XEP-0114 connection to an XMPP server: opens a {@code jabber:component:accept} stream to
 * the component's domain, answers the server's stream id with the handshake (§3) and, once the
 * server answered with an empty {@code <handshake/>}, passes every stanza to the listener.
 */
final class ComponentConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentConnection.class);

    private final AppServerSettings settings;
    private final Consumer<Element> stanzas;
    private final Runnable closed;
    private final CompletableFuture<ComponentConnection> ready = new CompletableFuture<>();
    private Channel channel;

    ComponentConnection(AppServerSettings settings, Consumer<Element> stanzas, Runnable closed) {
        this.settings = settings;
        this.stanzas = stanzas;
        this.closed = closed;
    }

    /** Connects; the future completes when the server accepted the handshake. */
    CompletableFuture<ComponentConnection> connect(EventLoopGroup group) {
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("xmpp-decoder", new XmppStreamDecoder(XmlLimits.defaults()))
                                .addLast("xmpp-encoder", new XmppElementEncoder())
                                .addLast("component", new Handler());
                    }
                })
                .connect(settings.host(), settings.port()).addListener(future -> {
                    if (!future.isSuccess()) {
                        ready.completeExceptionally(future.cause());
                    }
                });
        return ready;
    }

    void send(Element stanza) {
        Channel current = channel;
        if (current != null && current.isActive()) {
            current.writeAndFlush(stanza);
        } else {
            LOG.debug("not connected, dropping {}", stanza.asXML());
        }
    }

    void close() {
        Channel current = channel;
        if (current != null && current.isActive()) {
            current.writeAndFlush(StreamClose.INSTANCE);
            current.close();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.writeAndFlush(new StreamOpen(settings.domain(), null, null, null, null, ComponentHandshake.NAMESPACE));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof StreamOpen open) {
                if (open.id() == null) {
                    fail(ctx, "the server sent no stream id");
                    return;
                }
                Element handshake = DocumentHelper.createElement(QName.get("handshake", ComponentHandshake.NAMESPACE));
                handshake.setText(ComponentHandshake.digest(open.id(), settings.secret()));
                ctx.writeAndFlush(handshake);
            } else if (msg instanceof Element element) {
                onElement(ctx, element);
            } else if (msg instanceof StreamClose) {
                ctx.close();
            } else if (msg instanceof StreamFault fault) {
                fail(ctx, "stream fault: " + fault.error());
            }
        }

        private void onElement(ChannelHandlerContext ctx, Element element) {
            if ("handshake".equals(element.getName())) {
                LOG.info("connected to {}:{} as {}", settings.host(), settings.port(), settings.domain());
                ready.complete(ComponentConnection.this);
            } else if ("error".equals(element.getName()) && Namespaces.STREAMS.equals(element.getNamespaceURI())) {
                fail(ctx, "stream error: " + element.asXML());
            } else if (ready.isDone()) {
                stanzas.accept(element);
            }
        }

        private void fail(ChannelHandlerContext ctx, String why) {
            LOG.warn("component stream to {}:{} failed: {}", settings.host(), settings.port(), why);
            ready.completeExceptionally(new IOException(why));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.completeExceptionally(new IOException("connection closed"));
            closed.run();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("component connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
