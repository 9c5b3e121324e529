package im.parley.core.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.dom4j.Element;

/**
 * Decodes an XMPP stream (RFC 6120 §4) with Aalto's non-blocking parser: emits
 * {@link StreamOpen} for the header, one detached dom4j {@link Element} per top-level child,
 * {@link StreamClose} for {@code </stream:stream>}, or a single {@link StreamFault} after which
 * all input is discarded.
 *
 * <p>Each call to {@code decode} emits at most one object (an empty root, {@code <stream:stream/>},
 * is both the header and the end) and consumes exactly the bytes up to its end, so that {@link #reset()} called while that object is handled (stream restart after
 * SASL success, §4.3.3) makes the bytes that follow start a new document.
 *
 * <p>Restricted XML (§11.1) is refused, never expanded: DTDs, comments, processing
 * instructions and entity references other than the predefined ones end the stream with
 * {@code restricted-xml}.
 *
 * <p>The bytes are screened before the parser reads them ({@link PrologScanner}, {@link Utf8Screen},
 * {@link AttributeScreen}): a DTD or comment before the header is {@code restricted-xml},
 * ill-formed UTF-8 is {@code unsupported-encoding}, characters XML does not allow are
 * {@code not-well-formed}, and a tag with too many attributes is {@code policy-violation}. The
 * parser reads only the bytes before the first offending one, so every element complete before
 * it is still emitted, whatever the reads were. The limits of {@link XmlLimits} keep the work per
 * stanza linear in its size and the memory per stream bounded: a top-level element with too
 * many namespace declarations or distinct names is {@code policy-violation}, and a parser that
 * has learnt too many names is rebuilt between two top-level elements ({@link NameBudget}).
 *
 * <p>An idle stream may give its parser back ({@link #releaseParserIfIdle()}): most of a
 * connection's decoding memory is the parser's, and most client streams are idle most of the
 * time. The next bytes rebuild it behind a replay of the root's namespace context
 * ({@link StreamRoot}); nothing observable differs from a decoder that kept its parser.
 */
public class XmppStreamDecoder extends ByteToMessageDecoder {

    private enum State { PROLOG, STREAM, CLOSED, FAILED }

    private final int maxDepth;
    private final int maxNamespaceDeclarations;
    private final ElementBuilder builder = new ElementBuilder();
    private final PrologScanner prologScanner = new PrologScanner();
    private final Utf8Screen utf8 = new Utf8Screen();
    private final AttributeScreen attributes;
    private final NameBudget names;
    private int maxStanzaBytes;
    /** Namespace declarations in the top-level element being built. */
    private int namespaceDeclarations;
    /** Found by a screen in the first byte not fed to the parser: the fault once the parser has read the rest. */
    private StreamError screenedFault;

    /** Null after a fault, and in state STREAM while released for idleness. */
    private AsyncXMLStreamReader<AsyncByteBufferFeeder> reader;
    private State state;
    /** The root's name context, once the stream header was read: what a rebuilt parser replays. */
    private StreamRoot root;
    /** Bytes fed to the current parser; Aalto's byte offsets count from the document start. */
    private long bytesFed;
    /** Document offset and buffer index of the first byte of the latest feed. */
    private long feedOffset;
    private int feedIndex;
    private ByteBuf fedBuffer;
    /**
     * Document offset where the top-level element being built starts or, between elements,
     * where the last complete stream-level event ended: everything the parser holds after it
     * belongs to one unfinished element, so that span is what the size limit applies to.
     */
    private long elementStart;

    public XmppStreamDecoder(XmlLimits limits) {
        this.maxStanzaBytes = limits.maxStanzaBytes();
        this.maxDepth = limits.maxDepth();
        this.maxNamespaceDeclarations = limits.maxNamespaceDeclarations();
        this.attributes = new AttributeScreen(limits.maxAttributes());
        this.names = new NameBudget(limits.maxNames());
        startDocument();
    }

    /**
     * Restarts the stream (RFC 6120 §4.3.3): the next bytes, including any already received
     * after the last emitted object, are parsed as a brand-new XML document. Call it on the
     * channel's event loop. A decoder that has faulted stays faulted.
     */
    public void reset() {
        if (state != State.FAILED) {
            closeReader();
            startDocument();
        }
    }

    /**
     * Drops buffered input if it is nothing but XML whitespace (RFC 6120 §11.7 allows whitespace
     * between elements; clients such as go-xmpp send a newline after {@code <starttls/>}) and
     * returns true; returns false, dropping nothing, if anything else is buffered.
     */
    public boolean dropBufferedWhitespace() {
        return XmlWhitespace.skipIfAll(internalBuffer());
    }

    /** Changes the largest accepted top-level element, e.g. after authentication. */
    public void setMaxStanzaBytes(int maxStanzaBytes) {
        if (maxStanzaBytes < 1) {
            throw new IllegalArgumentException("maxStanzaBytes must be positive: " + maxStanzaBytes);
        }
        this.maxStanzaBytes = maxStanzaBytes;
    }

    /**
     * Closes the parser and lets it be garbage-collected, if the stream is open and between
     * top-level elements with nothing buffered: no element or tag is partly parsed, every byte
     * given to the parser ended a complete stream-level event (RFC 6120 §4.2 allows only
     * whitespace between them, §4.6.1) and no byte waits to be decoded. The next bytes that
     * are not mere whitespace rebuild it. Returns whether the parser was released; false in the
     * prolog, mid-element, with input pending, after the stream ended or if already released.
     * Call it on the channel's event loop.
     */
    public boolean releaseParserIfIdle() {
        if (state != State.STREAM || reader == null || builder.depth() != 0 || elementStart != bytesFed
                || !reader.getInputFeeder().needMoreInput() || internalBuffer().isReadable()) {
            return false;
        }
        closeReader();
        return true;
    }

    /** True while the stream is open and its parser released by {@link #releaseParserIfIdle()}. */
    public boolean isParserReleased() {
        return state == State.STREAM && reader == null;
    }

    /** The distinct names the current parser has read in top-level elements (see {@link NameBudget}). */
    int knownNames() {
        return names.size();
    }

    private void startDocument() {
        newParser();
        root = null;
        state = State.PROLOG;
        bytesFed = 0;
        builder.clear();
        prologScanner.reset();
    }

    /**
     * A fresh parser, which will read the bytes from the buffer's reader index: always a
     * position between two tags, where the screens start over too.
     */
    private void newParser() {
        reader = RestrictedXmlParsers.newParser();
        fedBuffer = null;
        utf8.reset();
        attributes.reset();
        screenedFault = null;
        names.clear();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.CLOSED || state == State.FAILED) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (reader == null && !resumeParser(in, out)) {
            return;
        }
        if (reader.getInputFeeder().needMoreInput()) {
            if (!feed(in, out)) {
                return;
            }
        } else if (in != fedBuffer) {
            // ByteToMessageDecoder drains its cumulation before taking new data, so the
            // parser's pending bytes are always still in this buffer.
            throw new IllegalStateException("parser input pending but the cumulation buffer changed");
        }
        try {
            while (true) {
                int event = nextEvent();
                if (event == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                    in.readerIndex(feedIndex + (int) (bytesFed - feedOffset));
                    checkIncompleteSize(in, out);
                    if (state != State.FAILED && screenedFault != null) {
                        emitFault(in, out, screenedFault);
                    }
                    return;
                }
                Object decoded = handle(event);
                if (state == State.FAILED) {
                    emitFault(in, out, ((StreamFault) decoded).error());
                    return;
                }
                if (decoded != null) {
                    out.add(decoded);
                    long end = reader.getLocationInfo().getEndingByteOffset();
                    in.readerIndex(feedIndex + (int) (end - feedOffset));
                    if (decoded instanceof StreamOpen && reader.isEmptyElement()) {
                        // <stream:stream/> opens and ends the stream (RFC 6120 §4.2, §4.4). Its end
                        // has no bytes of its own, and Netty refuses an object decoded from none.
                        reader.next();
                        state = State.CLOSED;
                        out.add(StreamClose.INSTANCE);
                    }
                    if (decoded instanceof Element && names.isSpent()) {
                        // Between two top-level elements: the bytes after this one go to a new parser.
                        closeReader();
                        restoreParser(in, out);
                    }
                    return;
                }
            }
        } catch (XMLStreamException e) {
            emitFault(in, out, ParseErrors.toStreamError(e));
        } catch (UncheckedStreamException e) {
            // Aalto parses text lazily and wraps what it finds then (a NUL, say) unchecked.
            emitFault(in, out, ParseErrors.toStreamError(e));
        }
    }

    /**
     * The parser's next event. Aalto reports a few malformed names with a bare runtime exception
     * (an element named {@code xmlns:a}: "Trying to create non-singleton binding for ns prefix
     * 'xmlns'", found by fuzzing), which would otherwise escape as an internal error; only
     * Aalto's code runs in this call, so any such exception is about the input.
     */
    private int nextEvent() throws XMLStreamException {
        try {
            return reader.next();
        } catch (UncheckedStreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new XMLStreamException(e.getMessage(), e);
        }
    }

    /**
     * Rebuilds a released parser, positioned inside the stream root, unless the input is only
     * whitespace, which the stream ignores between elements (RFC 6120 §4.6.1): a keepalive leaves
     * the parser released. False when there is nothing to parse.
     */
    private boolean resumeParser(ByteBuf in, List<Object> out) {
        if (XmlWhitespace.skipIfAll(in)) {
            return false;
        }
        return restoreParser(in, out);
    }

    /** A new parser positioned inside the stream root, between two top-level elements. */
    private boolean restoreParser(ByteBuf in, List<Object> out) {
        newParser();
        try {
            // Offsets of the rebuilt parser count the replayed tag, which no limit counts.
            bytesFed = root.replayInto(reader);
        } catch (XMLStreamException e) {
            emitFault(in, out, StreamError.of(StreamErrorCondition.INTERNAL_SERVER_ERROR, "cannot resume the parser"));
            return false;
        }
        elementStart = bytesFed;
        return true;
    }

    /**
     * Hands the readable bytes to the parser without copying, up to the first one a screen
     * refuses; false when nothing is left to parse (only a byte order mark arrived, or a fault
     * was emitted).
     */
    private boolean feed(ByteBuf in, List<Object> out) {
        if (state == State.PROLOG) {
            if (!prologScanner.skipByteOrderMark(in)) {
                emitFault(in, out, StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, "broken byte order mark"));
                return false;
            }
            if (!in.isReadable()) {
                return false;
            }
        }
        int readable = in.readableBytes();
        int length = Math.min(readable, sizeAllowance());
        // slice(): Aalto computes byte offsets from the buffer's position, which must be 0.
        ByteBuffer bytes = in.nioBuffer(in.readerIndex(), length).slice();
        if (length == readable) {
            // Only whole characters: Aalto 1.3.3 drops a four-byte character from an attribute
            // value when its bytes come in two reads (found by fuzzing). The unfinished one waits
            // in the cumulation for its rest. (Cut by the size allowance instead, the character
            // is past the limit, which ends the stream.)
            length -= Utf8Screen.unfinishedTail(bytes, length);
            if (length == 0) {
                return false;
            }
        }
        length = screen(bytes, length);
        if (length == 0) {
            emitFault(in, out, screenedFault);
            return false;
        }
        bytes.limit(length);
        try {
            reader.getInputFeeder().feedInput(bytes);
        } catch (XMLStreamException e) {
            emitFault(in, out, ParseErrors.toStreamError(e));
            return false;
        }
        fedBuffer = in;
        feedIndex = in.readerIndex();
        feedOffset = bytesFed;
        bytesFed += length;
        return true;
    }

    /**
     * How many more bytes the parser may read: up to one past the size limit of the unfinished
     * header or element. The size check then fires before the parser can find an error further
     * on, so the answer is the same however the bytes were split (read at once, an error after
     * the limit was {@code not-well-formed}, split before it {@code policy-violation}; found by
     * fuzzing). Complete elements move the start, so the parser reads on after them.
     */
    private int sizeAllowance() {
        long start = state == State.PROLOG ? 0 : elementStart;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, start + maxStanzaBytes + 1 - bytesFed));
    }

    /**
     * Runs the screens over the first {@code length} bytes; returns how many of them the parser
     * may read, fewer when one is refused (then {@link #screenedFault} says why).
     */
    private int screen(ByteBuffer bytes, int length) {
        int refused = -1;
        StreamError fault = null;
        if (state == State.PROLOG) {
            refused = prologScanner.scan(bytes, 0, length);
            fault = prologScanner.error();
        }
        int badByte = utf8.scan(bytes, 0, refused < 0 ? length : refused);
        if (badByte >= 0) {
            refused = badByte;
            fault = utf8.error();
        }
        int tooManyAttributes = attributes.scan(bytes, 0, refused < 0 ? length : refused);
        if (tooManyAttributes >= 0) {
            refused = tooManyAttributes;
            fault = attributes.error();
        }
        if (refused < 0) {
            return length;
        }
        screenedFault = fault;
        return refused;
    }

    /** Returns the object to emit, a {@link StreamFault} (state FAILED), or null. */
    private Object handle(int event) throws XMLStreamException {
        switch (event) {
            case XMLStreamConstants.START_DOCUMENT:
                return checkEncoding();
            case XMLStreamConstants.START_ELEMENT:
                return state == State.PROLOG ? openStream() : startChild();
            case XMLStreamConstants.END_ELEMENT:
                return endElement();
            case XMLStreamConstants.CHARACTERS:
            case XMLStreamConstants.CDATA:
            case XMLStreamConstants.SPACE:
                return text();
            case XMLStreamConstants.COMMENT:
                return fail(StreamErrorCondition.RESTRICTED_XML, "comments are not allowed");
            case XMLStreamConstants.PROCESSING_INSTRUCTION:
                return fail(StreamErrorCondition.RESTRICTED_XML, "processing instructions are not allowed");
            case XMLStreamConstants.DTD:
            case XMLStreamConstants.ENTITY_DECLARATION:
            case XMLStreamConstants.NOTATION_DECLARATION:
                return fail(StreamErrorCondition.RESTRICTED_XML, "DTDs are not allowed");
            case XMLStreamConstants.ENTITY_REFERENCE:
                return fail(StreamErrorCondition.RESTRICTED_XML,
                        "entity reference &" + reader.getLocalName() + "; is not allowed");
            default:
                return null;
        }
    }

    /** RFC 6120 §11.6: UTF-8 only. */
    private Object checkEncoding() {
        String encoding = reader.getCharacterEncodingScheme();
        if (encoding != null && !"UTF-8".equalsIgnoreCase(encoding)) {
            return fail(StreamErrorCondition.UNSUPPORTED_ENCODING, "encoding " + encoding + " is not UTF-8");
        }
        return null;
    }

    /** RFC 6120 §4.8.1: the root is {@code stream} in the streams namespace. */
    private Object openStream() throws XMLStreamException {
        long end = reader.getLocationInfo().getEndingByteOffset();
        if (end > maxStanzaBytes) {
            return fail(StreamErrorCondition.POLICY_VIOLATION, "stream header larger than " + maxStanzaBytes + " bytes");
        }
        if (!"stream".equals(reader.getLocalName()) || !Namespaces.STREAMS.equals(reader.getNamespaceURI())) {
            return fail(StreamErrorCondition.INVALID_NAMESPACE,
                    "root element must be 'stream' in namespace " + Namespaces.STREAMS);
        }
        String badName = NamespaceNames.violation(reader);
        if (badName != null) {
            return fail(StreamErrorCondition.NOT_WELL_FORMED, badName);
        }
        state = State.STREAM;
        elementStart = end;
        root = StreamRoot.of(reader);
        return new StreamOpen(
                reader.getAttributeValue("", "to"),
                reader.getAttributeValue("", "from"),
                reader.getAttributeValue("", "id"),
                reader.getAttributeValue("", "version"),
                reader.getAttributeValue(Namespaces.XML, "lang"),
                emptyToNull(reader.getNamespaceContext().getNamespaceURI("")));
    }

    private Object startChild() throws XMLStreamException {
        if (builder.depth() == 0) {
            elementStart = reader.getLocationInfo().getStartingByteOffset();
            names.startElement();
            namespaceDeclarations = 0;
        } else if (builder.depth() >= maxDepth) {
            return fail(StreamErrorCondition.POLICY_VIOLATION, "elements nested deeper than " + maxDepth);
        }
        Object tooLarge = checkElementSize(reader.getLocationInfo().getEndingByteOffset());
        if (tooLarge != null) {
            return tooLarge;
        }
        String badName = NamespaceNames.violation(reader);
        if (badName != null) {
            return fail(StreamErrorCondition.NOT_WELL_FORMED, badName);
        }
        Object tooManyNames = checkNames();
        if (tooManyNames != null) {
            return tooManyNames;
        }
        builder.startElement(reader);
        return null;
    }

    /** Counts the namespace declarations and names of the start tag the reader is on. */
    private Object checkNames() {
        int declarations = reader.getNamespaceCount();
        namespaceDeclarations += declarations;
        if (namespaceDeclarations > maxNamespaceDeclarations) {
            return fail(StreamErrorCondition.POLICY_VIOLATION,
                    "more than " + maxNamespaceDeclarations + " namespace declarations in one stanza");
        }
        boolean withinBudget = names.use(reader.getPrefixedName());
        for (int i = 0; i < declarations && withinBudget; i++) {
            String prefix = reader.getNamespacePrefix(i);
            withinBudget = prefix == null || prefix.isEmpty() || names.use(prefix);
        }
        for (int i = 0, n = reader.getAttributeCount(); i < n && withinBudget; i++) {
            String prefix = reader.getAttributePrefix(i);
            String localName = reader.getAttributeLocalName(i);
            withinBudget = names.use(prefix == null || prefix.isEmpty() ? localName : prefix + ':' + localName);
        }
        return withinBudget ? null : fail(StreamErrorCondition.POLICY_VIOLATION, names.limitText());
    }

    private Object endElement() throws XMLStreamException {
        if (builder.depth() == 0) {
            state = State.CLOSED;
            return StreamClose.INSTANCE;
        }
        Object tooLarge = checkElementSize(reader.getLocationInfo().getEndingByteOffset());
        if (tooLarge != null) {
            return tooLarge;
        }
        Element complete = builder.endElement();
        if (complete != null) {
            elementStart = reader.getLocationInfo().getEndingByteOffset();
        }
        return complete;
    }

    private Object text() throws XMLStreamException {
        char[] chars = reader.getTextCharacters();
        int start = reader.getTextStart();
        int length = reader.getTextLength();
        if (builder.depth() > 0) {
            Object tooLarge = checkElementSize(reader.getLocationInfo().getEndingByteOffset());
            if (tooLarge != null) {
                return tooLarge;
            }
            builder.text(chars, start, length);
            return null;
        }
        // Between top-level elements only whitespace (keepalives) may appear.
        if (!XmlWhitespace.isAll(chars, start, length)) {
            return state == State.STREAM
                    ? fail(StreamErrorCondition.BAD_FORMAT, "text is not allowed at stream level")
                    : fail(StreamErrorCondition.NOT_WELL_FORMED, "text outside the root element");
        }
        elementStart = reader.getLocationInfo().getEndingByteOffset();
        return null;
    }

    private Object checkElementSize(long endOffset) {
        if (endOffset - elementStart > maxStanzaBytes) {
            return fail(StreamErrorCondition.POLICY_VIOLATION, "stanza larger than " + maxStanzaBytes + " bytes");
        }
        return null;
    }

    /** Fails as soon as the unfinished header or element already exceeds the limit. */
    private void checkIncompleteSize(ByteBuf in, List<Object> out) {
        Object tooLarge = null;
        if (state == State.PROLOG && bytesFed > maxStanzaBytes) {
            tooLarge = fail(StreamErrorCondition.POLICY_VIOLATION, "stream header larger than " + maxStanzaBytes + " bytes");
        } else if (state == State.STREAM) {
            tooLarge = checkElementSize(bytesFed);
        }
        if (tooLarge != null) {
            emitFault(in, out, ((StreamFault) tooLarge).error());
        }
    }

    private StreamFault fail(StreamErrorCondition condition, String text) {
        state = State.FAILED;
        return new StreamFault(StreamError.of(condition, text));
    }

    private void emitFault(ByteBuf in, List<Object> out, StreamError error) {
        state = State.FAILED;
        builder.clear();
        in.skipBytes(in.readableBytes());
        out.add(new StreamFault(error));
        closeReader();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        closeReader();
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // Closing only releases the parser's buffers; nothing is left to report.
            }
        }
        reader = null;
        fedBuffer = null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
