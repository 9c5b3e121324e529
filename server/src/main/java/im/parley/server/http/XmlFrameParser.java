package im.parley.server.http;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.dom4j.Element;

/**
 * Parses one self-contained XML element (a WebSocket message, RFC 7395 §3.2, or a BOSH
 * {@code <body/>}, XEP-0124 §4) with the same decoder and restricted-XML rules as a TCP
 * stream: the bytes are parsed as the only child of a synthetic stream whose default
 * namespace is {@code jabber:client}. No DTD, entity, comment or processing instruction is
 * ever accepted, and the element may not exceed the size and depth limits.
 */
final class XmlFrameParser {

    private static final byte[] PREFIX = ("<stream:stream xmlns:stream='" + Namespaces.STREAMS
            + "' xmlns='" + Namespaces.CLIENT + "'>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "</stream:stream>".getBytes(StandardCharsets.UTF_8);

    /** The outcome: exactly one of {@code element} and {@code error} is set. */
    record Result(Element element, StreamError error) {
    }

    private XmlFrameParser() {
    }

    /**
     * Parses {@code content}, which must hold exactly one element and nothing else but whitespace,
     * of at most {@code limits.maxStanzaBytes()} and within the other limits.
     */
    static Result parse(ByteBuf content, XmlLimits limits) {
        content = content.duplicate();
        skipXmlDeclaration(content);
        int first = firstNonBlank(content);
        if (first >= 0 && content.getByte(first) == '<' && first + 1 < content.writerIndex()
                && (content.getByte(first + 1) == '!' || content.getByte(first + 1) == '?')) {
            // RFC 6120 §11.1: no DTD, comment or processing instruction, before the element either.
            return new Result(null, StreamError.of(StreamErrorCondition.RESTRICTED_XML,
                    "DTDs, comments and processing instructions are not allowed"));
        }
        XmppStreamDecoder decoder = new XmppStreamDecoder(
                limits.withMaxStanzaBytes(limits.maxStanzaBytes() + PREFIX.length));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            ByteBuf input = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(PREFIX), content.retainedDuplicate(),
                    Unpooled.wrappedBuffer(SUFFIX));
            channel.writeInbound(input);
            Element element = null;
            boolean closed = false;
            Object decoded;
            while ((decoded = channel.readInbound()) != null) {
                if (decoded instanceof StreamFault fault) {
                    return new Result(null, fault.error());
                } else if (decoded instanceof Element e) {
                    if (element != null || closed) {
                        return invalid("one element per frame");
                    }
                    element = e;
                } else if (decoded instanceof StreamClose) {
                    closed = true;
                } else if (!(decoded instanceof StreamOpen)) {
                    return invalid("unexpected content");
                }
            }
            if (element == null || !closed) {
                // No element, or the frame ended inside one (or closed our wrapper early).
                return new Result(null, StreamError.of(StreamErrorCondition.NOT_WELL_FORMED,
                        "a frame holds exactly one complete element"));
            }
            return new Result(element, null);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /**
     * A BOSH body is an XML document of its own (XEP-0124 §4), which may begin with an XML
     * declaration; it is skipped here as our synthetic stream already has one prolog.
     */
    private static void skipXmlDeclaration(ByteBuf content) {
        int first = firstNonBlank(content);
        if (first < 0 || !startsWith(content, first, "<?xml")) {
            return;
        }
        for (int i = first + 5; i + 1 < content.writerIndex(); i++) {
            if (content.getByte(i) == '?' && content.getByte(i + 1) == '>') {
                String declaration = content.toString(first, i - first, StandardCharsets.US_ASCII).toLowerCase();
                if (declaration.contains("encoding") && !declaration.matches("(?s).*encoding\\s*=\\s*['\"]utf-8['\"].*")) {
                    return;  // left in place: the parser refuses it as a processing instruction
                }
                content.readerIndex(i + 2);
                return;
            }
        }
    }

    private static boolean startsWith(ByteBuf content, int index, String prefix) {
        if (content.writerIndex() - index < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (content.getByte(index + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonBlank(ByteBuf content) {
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Result invalid(String text) {
        return new Result(null, StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, text));
    }
}
