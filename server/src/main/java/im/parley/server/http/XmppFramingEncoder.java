package im.parley.server.http;

import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmppElementEncoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;
import org.dom4j.Element;

/**
 * Writes a client stream's output as WebSocket text messages (RFC 7395 §3.3): the header as
 * {@code <open/>}, each element standalone with its namespaces declared (§3.3.3: stanzas
 * carry {@code xmlns='jabber:client'}), the stream end as {@code <close/>}.
 */
final class XmppFramingEncoder extends MessageToMessageEncoder<Object> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof StreamOpen || msg instanceof Element || msg instanceof StreamClose;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        Element element;
        if (msg instanceof StreamOpen open) {
            element = XmppFraming.open(open);
        } else if (msg instanceof StreamClose) {
            element = XmppFraming.close();
        } else {
            element = (Element) msg;
        }
        out.add(new TextWebSocketFrame(XmppElementEncoder.toXml(element)));
    }
}
