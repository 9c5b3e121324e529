package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;

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
 */
final class AttributeScreen {
    private static final byte[] CDATA_OPEN = {'[', 'C', 'D', 'A', 'T', 'A', '['};

    private enum State { CONTENT, AFTER_LESS_THAN, START_TAG, VALUE, END_TAG, PI, PI_QUESTION, BANG, CDATA, UNCHECKED }

    private final int maxAttributes;
    private State state = State.CONTENT;
    private int attributes;
    private byte quote;
    /** Bytes of {@code [CDATA[} matched after {@code <!}, or consecutive {@code ]} inside a CDATA section. */
    private int matched;

    AttributeScreen(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    /** Back to the state between two tags, as at the start of a document. */
    void reset() {
        state = State.CONTENT;
    }

    /** Why the stream was refused, after {@link #scan} returned an index. */
    StreamError error() {
        return StreamError.of(StreamErrorCondition.POLICY_VIOLATION,
                "more than " + maxAttributes + " attributes on one element");
    }

    /**
     * Reads {@code bytes[from, to)}, which follow the bytes of the previous call; returns the index
     * of the quote that opens one attribute value too many, or -1.
     */
    int scan(ByteBuf bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (state == State.CONTENT) {
                i = bytes.indexOf(i, to, (byte) '<');
                if (i < 0) {
                    return -1;
                }
                state = State.AFTER_LESS_THAN;
                continue;
            }
            if (state == State.UNCHECKED) {
                return -1;
            }
            if (!step(bytes.getByte(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Advances over one byte of markup; false when it opens one attribute value too many. */
    private boolean step(byte b) {
        switch (state) {
            case AFTER_LESS_THAN -> {
                state = switch (b) {
                    case '/' -> State.END_TAG;
                    case '?' -> State.PI;
                    case '!' -> State.BANG;
                    default -> State.START_TAG;
                };
                matched = 0;
                attributes = 0;
                return state != State.START_TAG || startTag(b);
            }
            case START_TAG -> {
                return startTag(b);
            }
            case VALUE -> state = b == quote ? State.START_TAG : State.VALUE;
            case END_TAG -> state = b == '>' ? State.CONTENT : State.END_TAG;
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
        return true;
    }

    private boolean startTag(byte b) {
        if (b == '>') {
            state = State.CONTENT;
        } else if (b == '\'' || b == '"') {
            quote = b;
            state = State.VALUE;
            return ++attributes <= maxAttributes;
        }
        return true;
    }
}
