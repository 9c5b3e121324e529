package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;

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

    void reset() {
        bomMatched = 0;
        position = 0;
        afterLessThan = false;
        done = false;
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

    /** Scans the next bytes of the document; returns the error found, or null. */
    StreamError scan(ByteBuf buffer, int index, int length) {
        for (int i = index; i < index + length && !done; i++, position++) {
            int b = buffer.getByte(i) & 0xFF;
            if (position == 0 && (b == 0x00 || b == 0xFE || b == 0xFF)) {
                return StreamError.of(StreamErrorCondition.UNSUPPORTED_ENCODING, "the stream must be UTF-8");
            }
            if (afterLessThan) {
                if (b == '!') {
                    return StreamError.of(StreamErrorCondition.RESTRICTED_XML, "DTDs and comments are not allowed");
                }
                // '<?' opens the XML declaration or a processing instruction (Aalto reports
                // those); anything else opens the root element, where the prolog ends.
                done = b != '?';
            }
            afterLessThan = b == '<';
        }
        return null;
    }
}
