package im.parley.core.xml;

import io.netty.buffer.ByteBuf;

/** XML's whitespace (XML 1.0 §2.3 production S): space, tab, carriage return, line feed. */
final class XmlWhitespace {

    private XmlWhitespace() {
    }

    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** True if {@code chars[start, start + length)} is all whitespace. */
    static boolean isAll(char[] chars, int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (!isWhitespace(chars[i])) {
                return false;
            }
        }
        return true;
    }

    /** Skips the readable bytes if they are all whitespace and returns true; else leaves them, false. */
    static boolean skipIfAll(ByteBuf buffered) {
        for (int i = buffered.readerIndex(); i < buffered.writerIndex(); i++) {
            if (!isWhitespace(buffered.getByte(i))) {
                return false;
            }
        }
        buffered.skipBytes(buffered.readableBytes());
        return true;
    }
}
