package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import java.nio.ByteBuffer;

/**
 * Checks the bytes of a stream before the parser decodes them, across reads: Aalto decodes some
 * ill-formed UTF-8 (the overlong {@code C0 BC} becomes {@code <}, a sequence above U+10FFFF is
 * dropped), so it must only ever see well-formed UTF-8.
 *
 * <ul>
 *   <li>Ill-formed UTF-8 (RFC 3629 §3-4: overlong forms, surrogates D800-DFFF, code points above
 *       U+10FFFF, stray or missing continuation bytes) is {@code unsupported-encoding}: RFC 6120
 *       §4.9.3.22 names the case ("has otherwise improperly encoded the stream (e.g., by
 *       violating the rules of the [UTF-8] encoding)") and §11.6 allows only UTF-8.</li>
 *   <li>Well-formed UTF-8 for a character outside XML 1.0's Char production (§2.2): a C0 control
 *       other than tab, line feed and carriage return (NUL included), U+FFFE or U+FFFF, is
 *       {@code not-well-formed} (RFC 6120 §4.9.3.13). XML 1.1 does not allow these literally
 *       either.</li>
 * </ul>
 */
final class Utf8Screen {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;

    /** Continuation bytes the current character still needs; 0 between characters. */
    private int needed;
    /** Bounds of the next continuation byte: narrower than 80..BF right after some lead bytes. */
    private int lower;
    private int upper;
    private int codePoint;
    private StreamError error;

    /** Back to the state between two characters, as at the start of a document. */
    void reset() {
        needed = 0;
        error = null;
    }

    /**
     * How many of the last bytes of {@code bytes[0, length)} are the start of a character whose
     * remaining bytes are still to come: 0 to 3, a UTF-8 lead byte and what follows it.
     * Continuation bytes with no lead before them count as finished (their character began in an
     * earlier read); whether the bytes are well-formed is {@link #scan}'s business.
     */
    static int unfinishedTail(ByteBuffer bytes, int length) {
        for (int i = length - 1; i >= Math.max(0, length - 3); i--) {
            int b = bytes.get(i) & 0xFF;
            if (b < 0x80) {
                return 0;
            }
            if (b >= 0xC0) {
                if (b < 0xC2 || b > 0xF4) {
                    return 0;  // starts no character: scan refuses it now
                }
                int size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return length - i < size ? length - i : 0;
            }
        }
        return 0;
    }

    /** Why the stream was refused, after {@link #scan} returned an index. */
    StreamError error() {
        return error;
    }

    /**
     * Checks {@code bytes[from, to)}, which follow the bytes of the previous call; returns the
     * index of the first byte the stream must not carry, or -1.
     */
    int scan(ByteBuffer bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (needed == 0) {
                i = skipPlainAscii(bytes, i, to);
                if (i == to) {
                    return -1;
                }
                if (!lead(bytes.get(i) & 0xFF)) {
                    return i;
                }
            } else if (!continuation(bytes.get(i) & 0xFF)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Skips 8 bytes at a time while none has its high bit set or is below space. */
    private static int skipPlainAscii(ByteBuffer bytes, int i, int to) {
        while (i + Long.BYTES <= to) {
            long word = bytes.getLong(i);
            // With no high bit set, (word - SPACES) & ~word has a high bit exactly where a byte is below 0x20.
            if ((word & HIGH_BITS) != 0 || ((word - SPACES) & ~word & HIGH_BITS) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        return i;
    }

    private boolean lead(int b) {
        if (b < 0x80) {
            return b >= 0x20 || b == '\t' || b == '\n' || b == '\r'
                    || fail(StreamErrorCondition.NOT_WELL_FORMED, String.format("character U+%04X is not allowed in XML", b));
        }
        lower = 0x80;
        upper = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            codePoint = b & 0x0F;
            if (b == 0xE0) {
                lower = 0xA0;  // below: an overlong form of U+0000..U+07FF
            } else if (b == 0xED) {
                upper = 0x9F;  // above: the surrogates U+D800..U+DFFF
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            codePoint = b & 0x07;
            if (b == 0xF0) {
                lower = 0x90;  // below: an overlong form of U+0000..U+FFFF
            } else if (b == 0xF4) {
                upper = 0x8F;  // above: beyond U+10FFFF
            }
        } else {
            // 80..BF cannot start a character; C0, C1 only start overlong forms; F5..FF nothing.
            return fail(StreamErrorCondition.UNSUPPORTED_ENCODING, String.format("byte %02X is not UTF-8 here", b));
        }
        return true;
    }

    private boolean continuation(int b) {
        if (b < lower || b > upper) {
            return fail(StreamErrorCondition.UNSUPPORTED_ENCODING, String.format("byte %02X is not UTF-8 here", b));
        }
        codePoint = (codePoint << 6) | (b & 0x3F);
        lower = 0x80;
        upper = 0xBF;
        if (--needed == 0 && (codePoint == 0xFFFE || codePoint == 0xFFFF)) {
            return fail(StreamErrorCondition.NOT_WELL_FORMED, String.format("character U+%04X is not allowed in XML", codePoint));
        }
        return true;
    }

    private boolean fail(StreamErrorCondition condition, String text) {
        error = StreamError.of(condition, text);
        return false;
    }
}
