package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import java.nio.ByteBuffer;

/**
 * Counts the attributes of each start tag in the bytes of a stream, namespace declarations
 * included, before the parser reads them: Aalto reads a whole start tag before it reports it,
 * and its work for one tag grows with the square of the number of attribute names and
 * namespace prefixes in it (name table collisions, declaration lookups). A tag with more than
 * the limit ends the stream with {@code policy-violation} (RFC 6120 §4.9.3.14) at the quote
 * that opens the value one too many.
 *
 * <p>Only the markup that can hide a quote or a {@code <} from a tag-by-tag reading is tracked:
 * attribute values, CDATA sections, the XML declaration and end tags. A comment, a DTD or any
 * other {@code <!} markup ends the stream where the parser reads it (restricted XML, §11.1, or
 * not well-formed), so counting stops there.
 *
 * <p>The same reading finds {@code ]]>} in text, which XML 1.0 §2.4 forbids there
 * ({@code not-well-formed}, RFC 6120 §4.9.3.13): Aalto's non-blocking parser misses it when the
 * text began in an earlier read, so whether a stream failed depended on how its bytes were split
 * (found by fuzzing).
 *
 * <p>It also finds an attribute named {@code xmlns:}, an empty prefix declaration, which
 * Namespaces in XML 1.0 (§3, {@code PrefixedAttName}) does not allow: Aalto reads it as a
 * default namespace declaration, indistinguishable from {@code xmlns} once parsed, so only the
 * bytes tell ({@code not-well-formed}, RFC 6120 §4.9.3.13; found by fuzzing the WebSocket
 * framing, where {@code xmlns:='jabber:client'} matched the default already in effect).
 */
final class AttributeScreen {
    private static final byte[] CDATA_OPEN = {'[', 'C', 'D', 'A', 'T', 'A', '['};
    private static final byte[] EMPTY_PREFIX_DECLARATION = {'x', 'm', 'l', 'n', 's', ':'};
    private static final long LESS_THANS = 0x3C3C3C3C3C3C3C3CL;
    private static final long GREATER_THANS = 0x3E3E3E3E3E3E3E3EL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private enum State { CONTENT, AFTER_LESS_THAN, START_TAG, VALUE, END_TAG, PI, PI_QUESTION, BANG, CDATA, UNCHECKED }

    private final int maxAttributes;
    private State state = State.CONTENT;
    private int attributes;
    private byte quote;
    /** Set once a tag had one attribute too many, or text held {@code ]]>}: the stream ends there. */
    private boolean refused;
    private boolean cdataEndInText;
    private boolean emptyPrefixDeclaration;
    /**
     * Bytes of {@code xmlns:} matched by the attribute name being read in a start tag (all of
     * them: only blanks may follow before the {@code =}), or -1 when the name cannot be it or
     * no name is being read (the element's own name).
     */
    private int nameMatched;
    /** Consecutive {@code ]} (at most two) that end the text read so far. */
    private int textBrackets;
    /** Bytes of {@code [CDATA[} matched after {@code <!}, or consecutive {@code ]} inside a CDATA section. */
    private int matched;

    AttributeScreen(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    /** Back to the state between two tags, as at the start of a document. */
    void reset() {
        state = State.CONTENT;
        refused = false;
        cdataEndInText = false;
        emptyPrefixDeclaration = false;
        textBrackets = 0;
    }

    /** Why the stream was refused, after {@link #scan} returned an index. */
    StreamError error() {
        if (cdataEndInText) {
            return StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, "']]>' is not allowed in text");
        }
        if (emptyPrefixDeclaration) {
            return StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, "attribute 'xmlns:' declares an empty prefix");
        }
        return StreamError.of(StreamErrorCondition.POLICY_VIOLATION,
                "more than " + maxAttributes + " attributes on one element");
    }

    /**
     * Reads {@code bytes[from, to)}, which follow the bytes of the previous call; returns the index
     * of the quote that opens one attribute value too many, or of the {@code >} of a {@code ]]>}
     * in text, or -1.
     */
    int scan(ByteBuffer bytes, int from, int to) {
        int i = from;
        while (i < to) {
            switch (state) {
                case CONTENT -> {
                    int markup = skipToMarkup(bytes, i, to);
                    textBrackets = bracketsBefore(bytes, i, markup);
                    if (markup < to && bytes.get(markup) == '>') {
                        if (textBrackets == 2) {
                            cdataEndInText = true;
                            return refuse(markup);
                        }
                        textBrackets = 0;
                    } else if (markup < to) {
                        state = State.AFTER_LESS_THAN;
                        textBrackets = 0;
                    }
                    i = markup < to ? markup + 1 : to;
                }
                case START_TAG, VALUE -> {
                    i = startTag(bytes, i, to);
                    if (refused) {
                        return i;
                    }
                }
                case END_TAG -> {
                    while (i < to && bytes.get(i) != '>') {
                        i++;
                    }
                    if (i < to) {
                        state = State.CONTENT;
                        i++;
                    }
                }
                case UNCHECKED -> {
                    return -1;
                }
                default -> step(bytes.get(i++));
            }
        }
        return -1;
    }

    /**
     * The index of the next {@code <} or {@code >} at or after {@code i}, or {@code to}. Text is
     * skipped eight bytes at a time: XOR with a repeated byte leaves a zero byte where that byte
     * was, and {@code (x - 0x01..01) & ~x & 0x80..80} is non-zero exactly when {@code x} has a
     * zero byte. (Inside tags, where a quote or {@code >} comes every few bytes, a plain loop is
     * faster.)
     */
    private static int skipToMarkup(ByteBuffer bytes, int i, int to) {
        while (i + Long.BYTES <= to) {
            long word = bytes.getLong(i);
            if (hasZeroByte(word ^ LESS_THANS) || hasZeroByte(word ^ GREATER_THANS)) {
                break;
            }
            i += Long.BYTES;
        }
        while (i < to && bytes.get(i) != '<' && bytes.get(i) != '>') {
            i++;
        }
        return i;
    }

    /** The {@code ]} (at most two) right before {@code end} in text that began at {@code from}, or before it. */
    private int bracketsBefore(ByteBuffer bytes, int from, int end) {
        int brackets = 0;
        for (int k = end - 1; k >= from && brackets < 2; k--) {
            if (bytes.get(k) != ']') {
                return brackets;
            }
            brackets++;
        }
        return Math.min(2, brackets + textBrackets);
    }

    private static boolean hasZeroByte(long x) {
        return ((x - LOW_BITS) & ~x & HIGH_BITS) != 0;
    }

    /** Advances over one byte right after a {@code <}, or of a processing instruction or CDATA section. */
    private void step(byte b) {
        switch (state) {
            case AFTER_LESS_THAN -> {
                state = switch (b) {
                    case '/' -> State.END_TAG;
                    case '?' -> State.PI;
                    case '!' -> State.BANG;
                    default -> State.START_TAG;
                };
                // A start tag's first byte begins its name.
                matched = 0;
                attributes = 0;
                nameMatched = -1;
            }
            case PI -> state = b == '?' ? State.PI_QUESTION : State.PI;
            case PI_QUESTION -> state = b == '>' ? State.CONTENT : b == '?' ? State.PI_QUESTION : State.PI;
            case BANG -> {
                if (b != CDATA_OPEN[matched]) {
                    state = State.UNCHECKED;
                } else if (++matched == CDATA_OPEN.length) {
                    state = State.CDATA;
                    matched = 0;
                }
            }
            case CDATA -> {
                if (b == '>' && matched >= 2) {
                    state = State.CONTENT;
                }
                matched = b == ']' ? matched + 1 : 0;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /**
     * Reads a start tag from {@code i} (inside it, possibly inside a value) to its {@code >} or the
     * end of the bytes; returns where to go on, or the index of the quote that opens one
     * attribute value too many. One loop with the open quote in a local: in XMPP's short tags a
     * state change per value costs more than the bytes.
     */
    private int startTag(ByteBuffer bytes, int i, int to) {
        byte open = state == State.VALUE ? quote : 0;
        int count = attributes;
        int name = nameMatched;
        for (; i < to; i++) {
            byte b = bytes.get(i);
            if (open != 0) {
                if (b == open) {
                    open = 0;
                    name = 0;
                }
            } else if (b == '>') {
                break;
            } else if (b == '\'' || b == '"') {
                open = b;
                if (++count > maxAttributes) {
                    return refuse(i);
                }
            } else if (b == '=') {
                if (name == EMPTY_PREFIX_DECLARATION.length) {
                    emptyPrefixDeclaration = true;
                    return refuse(i);
                }
                name = -1;
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                // A blank ends the element's name or an attribute's; "xmlns:" may still meet its '='.
                name = name == EMPTY_PREFIX_DECLARATION.length ? name : 0;
            } else {
                name = name >= 0 && name < EMPTY_PREFIX_DECLARATION.length && b == EMPTY_PREFIX_DECLARATION[name] ? name + 1 : -1;
            }
        }
        attributes = count;
        nameMatched = name;
        if (i == to) {
            state = open != 0 ? State.VALUE : State.START_TAG;
            quote = open;
            return to;
        }
        state = State.CONTENT;
        return i + 1;
    }

    private int refuse(int i) {
        refused = true;
        return i;
    }
}
