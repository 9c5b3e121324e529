package im.parley.server.http;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.XmlLimits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import org.dom4j.Element;

/**
 * Turns WebSocket messages into what a client stream consumes (RFC 7395 §3.3): each text
 * message is one complete element; {@code <open/>} becomes a {@link im.parley.core.xml.StreamOpen},
 * {@code <close/>} a {@link StreamClose}, anything else is passed on as an element. A message
 * that is not one well-formed element, or is binary, becomes a {@link StreamFault}; after it
 * all input is ignored. Expects complete messages ({@code WebSocketFrameAggregator} before it).
 */
final class XmppFramingDecoder extends MessageToMessageDecoder<WebSocketFrame> {

    /** The element limits other than the size, which {@link #maxBytes} gives. */
    private final XmlLimits limits;
    private volatile int maxBytes;
    private boolean failed;

    XmppFramingDecoder(int maxBytes, XmlLimits limits) {
        this.maxBytes = maxBytes;
        this.limits = limits;
    }

    /** Changes the largest accepted message, e.g. after authentication. */
    void setMaxBytes(int bytes) {
        this.maxBytes = bytes;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (failed) {
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            // XMPP messages are UTF-8 text (RFC 7395 §3.2).
            fail(out, StreamError.of(StreamErrorCondition.BAD_FORMAT, "binary messages are not XMPP"));
            return;
        }
        if (isBlank(frame)) {
            return;
        }
        if (frame.content().readableBytes() > maxBytes) {
            fail(out, StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "message larger than " + maxBytes + " bytes"));
            return;
        }
        XmlFrameParser.Result parsed = XmlFrameParser.parse(frame.content(), limits.withMaxStanzaBytes(maxBytes));
        if (parsed.error() != null) {
            fail(out, parsed.error());
            return;
        }
        Element element = parsed.element();
        if (XmppFraming.isOpen(element)) {
            out.add(XmppFraming.toStreamOpen(element));
        } else if (XmppFraming.isClose(element)) {
            out.add(StreamClose.INSTANCE);
        } else {
            out.add(element);
        }
    }

    private void fail(List<Object> out, StreamError error) {
        failed = true;
        out.add(new StreamFault(error));
    }

    /** Whitespace between elements is allowed on a stream (RFC 6120 §4.6.1); a blank message is a no-op. */
    private static boolean isBlank(WebSocketFrame frame) {
        var content = frame.content();
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
