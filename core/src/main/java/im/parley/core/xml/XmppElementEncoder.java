package im.parley.core.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import org.dom4j.Element;

/**
 * Writes an XMPP stream (RFC 6120 §4): {@link StreamOpen} as the stream header, dom4j
 * {@link Element}s as top-level children, {@link StreamClose} as {@code </stream:stream>}.
 *
 * <p>After a header, top-level elements in its content namespace carry no {@code xmlns}
 * (they inherit it, §4.8.2) and elements in the streams namespace use the header's
 * {@code stream:} prefix (§4.8.5). Not sharable: it remembers the namespaces of the header.
 */
public class XmppElementEncoder extends MessageToByteEncoder<Object> {
    private static final byte[] STREAM_CLOSE = "</stream:stream>".getBytes(StandardCharsets.US_ASCII);

    private NamespaceScope scope = new NamespaceScope();

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof StreamOpen || msg instanceof Element || msg instanceof StreamClose;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof StreamOpen open) {
            // A new header (initial or after a restart, §4.3.3) starts a new namespace context.
            scope = new NamespaceScope();
            new XmlWriter(scope).writeStreamOpen(out, open);
        } else if (msg instanceof Element element) {
            writeElement(out, element);
        } else {
            out.writeBytes(STREAM_CLOSE);
        }
    }

    /**
     * Writes a top-level element exactly as {@link #encode} does, in the namespace context of the
     * current stream header, and returns how many bytes that took: for a subclass that must know
     * an element's size on the wire (a peer's XEP-0478 {@code <max-bytes/>}) without writing it
     * twice. A subclass may take the bytes back ({@code out.writerIndex}): what an element
     * declares is in scope only inside it, so the next element is written the same either way.
     */
    protected final int writeElement(ByteBuf out, Element element) {
        int start = out.writerIndex();
        new XmlWriter(scope).writeElement(out, element);
        return out.writerIndex() - start;
    }

    /** The element as standalone XML with every namespace declared, for logs and tests. */
    public static String toXml(Element element) {
        return new String(toUtf8(element), StandardCharsets.UTF_8);
    }

    /**
     * The element as standalone UTF-8 XML with every namespace declared, as {@link #toXml(Element)}
     * but without a string in between: for what is stored (an archived stanza) rather than shown.
     */
    public static byte[] toUtf8(Element element) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.heapBuffer(512);
        try {
            new XmlWriter(new NamespaceScope()).writeElement(buffer, element);
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    /**
     * True if this encoder writes {@code value}, as an attribute, as its UTF-8 bytes (nothing
     * escaped or dropped): for code that splices an attribute into XML the encoder wrote.
     */
    public static boolean writesAttributeAsIs(String value) {
        return XmlWriter.attributeWrittenAsIs(value);
    }

    /** The header as the encoder writes it, for logs and tests. */
    public static String toXml(StreamOpen open) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            new XmlWriter(new NamespaceScope()).writeStreamOpen(buffer, open);
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }
}
