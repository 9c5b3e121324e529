package im.parley.server.component;

import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** The pipeline of an external component connection (XEP-0114): XML stream codec and the stream handler. */
public final class ComponentChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ComponentRouter router;
    private final XmlLimits limits;

    public ComponentChannelInitializer(ComponentRouter router, XmlLimits limits) {
        this.router = router;
        this.limits = limits;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("xml-decoder", new XmppStreamDecoder(limits))
                .addLast("xml-encoder", new XmppElementEncoder())
                .addLast("component", new ComponentStreamHandler(router));
    }
}
