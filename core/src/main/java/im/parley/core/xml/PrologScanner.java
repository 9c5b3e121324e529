package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Looks at the bytes before the stream header for what Aalto would not report precisely: a
 * UTF-16/UTF-32 byte order mark (RFC 6120 §11.6, {@code unsupported-encoding}) and any
 * {@code <!} markup, i.e. a DOCTYPE or comment (§11.1, {@code restricted-xml}); Aalto fails
 * on an internal DTD subset with a generic syntax error. Scanning stops at the root element.
 * It also drops a UTF-8 byte order mark, which XML 1.0 §4.3.3 allows but Aalto's async
 * parser rejects.
 */
final class PrologScanner {
    private static final int[] UTF8_BOM = {0xEF, 0xBB, 0xBF};

    /** Bytes of the UTF-8 BOM matched so far, or -1 once the document is past where it may be. */
    private int bomMatched;
    private long position;
    private boolean afterLessThan;
    private boolean done;
    private StreamError error;

    void reset() {
        bomMatched = 0;
        position = 0;
        afterLessThan = false;
        done = false;
        error = null;
    }

    /**
     * Skips the bytes of a UTF-8 byte order mark at the start of the document, even when it
     * arrives split across reads; false if a partial mark is followed by something else.
     */
    boolean skipByteOrderMark(ByteBuf in) {
        while (bomMatched >= 0 && in.isReadable()) {
            if (bomMatched == UTF8_BOM.length) {
                bomMatched = -1;
            } else if ((in.getByte(in.readerIndex()) & 0xFF) == UTF8_BOM[bomMatched]) {
                in.skipBytes(1);
                bomMatched++;
            } else if (bomMatched > 0) {
                return false;
            } else {
                bomMatched = -1;
            }
        }
        return true;
    }

    /**
     * Reads {@code bytes[from, to)}, which follow the bytes of the previous call; returns the index
     * of the first byte it refuses, or -1. Like the other screens it only says where: the decoder
     * lets the parser read the bytes before it, so that an error the parser finds earlier in the
     * document is the one reported, however the bytes were split across reads (without this, a
     * broken XML declaration followed by {@code <!} was {@code restricted-xml} when read at once
     * and {@code not-well-formed} when split; found by fuzzing).
     */
    int scan(ByteBuffer bytes, int from, int to) {
        for (int i = from; i < to && !done; i++, position++) {
            int b = bytes.get(i) & 0xFF;
            if (position == 0 && (b == 0x00 || b == 0xFE || b == 0xFF)) {
                error = StreamError.of(StreamErrorCondition.UNSUPPORTED_ENCODING, "the stream must be UTF-8");
                return i;
            }
            if (afterLessThan) {
                if (b == '!') {
                    error = StreamError.of(StreamErrorCondition.RESTRICTED_XML, "DTDs and comments are not allowed");
                    return i;
                }
                // '<?' opens the XML declaration or a processing instruction (Aalto reports
                // those); anything else opens the root element, where the prolog ends.
                done = b != '?';
            }
            afterLessThan = b == '<';
        }
        return -1;
    }

    /** Why the stream was refused, after {@link #scan} returned an index. */
    StreamError error() {
        return error;
    }
}
