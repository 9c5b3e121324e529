package im.parley.core.xml;

/**
 * Resource limits of {@link XmppStreamDecoder}. Exceeding any ends the stream with
 * {@code policy-violation} (RFC 6120 §4.9.3.14; §13.12 on denial of service).
 *
 * @param maxStanzaBytes           largest stream header or top-level element, in bytes on the wire
 * @param maxDepth                 deepest element nesting inside a top-level element, the top-level
 *                                 element itself being depth 1
 * @param maxAttributes            most attributes on one start tag, namespace declarations included:
 *                                 counted on the bytes, before the parser sees them, since the parser
 *                                 does work quadratic in their number for one tag
 * @param maxNamespaceDeclarations most namespace declarations in one top-level element (or stream
 *                                 header), its descendants included
 * @param maxNames                 most distinct element names, attribute names and namespace
 *                                 prefixes in one top-level element; also how many a stream may
 *                                 teach its parser before the parser, whose name table never
 *                                 shrinks, is rebuilt between two top-level elements
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxNamespaceDeclarations,
                        int maxNames) {

    /** Jingle candidates (XEP-0176), the richest start tags in common use, carry about a dozen. */
    public static final int DEFAULT_MAX_ATTRIBUTES = 100;
    /**
     * One payload namespace declared per item: a 256 KiB list of 300-byte items (XEP-0060 items,
     * XEP-0402 bookmarks) declares about 870.
     */
    public static final int DEFAULT_MAX_NAMESPACE_DECLARATIONS = 1000;
    /** Real stanzas use a few dozen distinct names (an Atom entry, XEP-0277, about thirty). */
    public static final int DEFAULT_MAX_NAMES = 1000;

    public XmlLimits {
        positive("maxStanzaBytes", maxStanzaBytes);
        positive("maxDepth", maxDepth);
        positive("maxAttributes", maxAttributes);
        positive("maxNamespaceDeclarations", maxNamespaceDeclarations);
        positive("maxNames", maxNames);
    }

    /** With the default attribute, namespace declaration and name limits. */
    public XmlLimits(int maxStanzaBytes, int maxDepth) {
        this(maxStanzaBytes, maxDepth, DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_NAMESPACE_DECLARATIONS, DEFAULT_MAX_NAMES);
    }

    /** 8192 bytes, 64 levels and the default name limits: enough for any pre-authentication traffic. */
    public static XmlLimits defaults() {
        return new XmlLimits(8192, 64);
    }

    public XmlLimits withMaxStanzaBytes(int value) {
        return new XmlLimits(value, maxDepth, maxAttributes, maxNamespaceDeclarations, maxNames);
    }

    public XmlLimits withMaxDepth(int value) {
        return new XmlLimits(maxStanzaBytes, value, maxAttributes, maxNamespaceDeclarations, maxNames);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
