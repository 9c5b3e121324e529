package im.parley.core.xml;

/**
 * Resource limits of {@link XmppStreamDecoder}. Exceeding either ends the stream with
 * {@code policy-violation} (RFC 6120 §4.9.3.14; §13.12 on denial of service).
 *
 * @param maxStanzaBytes largest stream header or top-level element, in bytes on the wire
 * @param maxDepth       deepest element nesting inside a top-level element, the top-level
 *                       element itself being depth 1
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth) {

    public XmlLimits {
        if (maxStanzaBytes < 1) {
            throw new IllegalArgumentException("maxStanzaBytes must be positive: " + maxStanzaBytes);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
        }
    }

    /** 8192 bytes and 64 levels: enough for any pre-authentication traffic. */
    public static XmlLimits defaults() {
        return new XmlLimits(8192, 64);
    }
}
