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
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Element;

/**
 * Parses one self-contained XML element (a WebSocket message, RFC 7395 §3.2, or a BOSH
 * {@code <body/>}, XEP-0124 §4) with the same decoder and restricted-XML rules as a TCP
 * stream: the bytes are parsed as the only child of a synthetic stream whose default
 * namespace is {@code jabber:client}. No DTD, entity, comment or processing instruction is
 * ever accepted, and the element may not exceed the size and depth limits.
 *
 * <p>The frame must be one element on its own, namespace well-formed (RFC 7395 §3.3.3: every
 * message declares the namespaces it uses): the synthetic stream's prefix is drawn at random
 * for each frame, so a frame cannot use it undeclared, and the stream is closed only after the
 * frame was parsed, so a frame cannot close it early and append what would then be ignored.
 */
final class XmlFrameParser {

    private static final byte[] SUFFIX_TAIL = ":stream>".getBytes(StandardCharsets.US_ASCII);
    /**
     * XML 1.0 §2.8 {@code XMLDecl}, which only the start of a document may hold: a BOSH body is
     * a document of its own (XEP-0124 §4), and our synthetic stream already has its prolog.
     */
    private static final Pattern XML_DECLARATION = Pattern.compile(
            "<\\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:'1\\.[0-9]+'|\"1\\.[0-9]+\")"
            + "(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:'(?<e1>[A-Za-z][A-Za-z0-9._-]*)'|\"(?<e2>[A-Za-z][A-Za-z0-9._-]*)\"))?"
            + "(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:'(?:yes|no)'|\"(?:yes|no)\"))?"
            + "[ \t\r\n]*\\?>");
    /** Longer than any declaration worth reading. */
    private static final int MAX_DECLARATION = 200;

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
        if (first < 0 || content.getByte(first) != '<' || content.getByte(lastNonBlank(content)) != '>') {
            // Around the element only literal whitespace: inside our synthetic stream a character
            // reference such as &#9; would pass as whitespace, but outside an element no reference
            // is allowed (XML 1.0 §2.1; found by fuzzing).
            return invalid("a frame holds exactly one element and nothing else but whitespace");
        }
        String prefix = "s" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        byte[] open = ("<" + prefix + ":stream xmlns:" + prefix + "='" + Namespaces.STREAMS
                + "' xmlns='" + Namespaces.CLIENT + "'>").getBytes(StandardCharsets.US_ASCII);
        // The decoder holds the synthetic header and the frame's element each to the limit on its
        // own: the element gets exactly the frame limit (a limit of header plus frame let elements
        // a header's length too large through; found by fuzzing), and only a limit smaller than
        // the header itself is raised to let the header in.
        int limit = Math.max(limits.maxStanzaBytes(), open.length);
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(limits.withMaxStanzaBytes(limit)));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(open), content.retainedDuplicate()));
            Element element = null;
            Object decoded;
            while ((decoded = channel.readInbound()) != null) {
                if (decoded instanceof StreamFault fault) {
                    return new Result(null, fault.error());
                } else if (decoded instanceof Element e) {
                    if (element != null) {
                        return invalid("one element per frame");
                    }
                    element = e;
                } else if (!(decoded instanceof StreamOpen)) {
                    // The frame closed our synthetic stream itself.
                    return invalid("a frame holds exactly one complete element");
                }
            }
            channel.writeInbound(Unpooled.wrappedBuffer(("</" + prefix).getBytes(StandardCharsets.US_ASCII), SUFFIX_TAIL));
            decoded = channel.readInbound();
            if (decoded instanceof StreamFault fault) {
                return new Result(null, fault.error());
            }
            if (element == null || decoded != StreamClose.INSTANCE) {
                // No element, or the frame ended inside one.
                return invalid("a frame holds exactly one complete element");
            }
            return new Result(element, null);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /**
     * Skips the XML declaration a BOSH body may begin with, if it is one (XML 1.0 §2.8) and names
     * no encoding but UTF-8 (RFC 6120 §11.6). Anything else is left to the parser, which refuses
     * it as a processing instruction.
     */
    private static void skipXmlDeclaration(ByteBuf content) {
        if (!startsWith(content, content.readerIndex(), "<?xml")) {
            return;
        }
        int end = Math.min(content.writerIndex(), content.readerIndex() + MAX_DECLARATION);
        for (int i = content.readerIndex() + 5; i + 1 < end; i++) {
            if (content.getByte(i) == '?' && content.getByte(i + 1) == '>') {
                Matcher declaration = XML_DECLARATION.matcher(
                        content.toString(content.readerIndex(), i + 2 - content.readerIndex(), StandardCharsets.ISO_8859_1));
                if (declaration.matches()) {
                    String encoding = declaration.group("e1") != null ? declaration.group("e1") : declaration.group("e2");
                    if (encoding == null || encoding.equalsIgnoreCase("UTF-8")) {
                        content.readerIndex(i + 2);
                    }
                }
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

    private static int lastNonBlank(ByteBuf content) {
        for (int i = content.writerIndex() - 1; i >= content.readerIndex(); i--) {
            byte b = content.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return i;
            }
        }
        return -1;
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
