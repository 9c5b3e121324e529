package im.parley.core.xml;

import javax.xml.stream.XMLStreamReader;

/**
 * The rules of Namespaces in XML 1.0 that Aalto lets through. Aalto reads every element and
 * attribute name as an XML Name and splits it at the colon, so it accepts a part after the
 * colon that is not an NCName ({@code p:6a}, {@code xmlns:-x}, §3) or is empty ({@code b:},
 * and {@code xmlns:}, which it then reports as a default namespace declaration it never
 * applies), and the undeclaration {@code xmlns:p=''}, which only XML 1.1 allows (§2.2 of
 * Namespaces in XML 1.0: the empty string cannot be a namespace name). Each makes the stream
 * not namespace well-formed: {@code not-well-formed} (RFC 6120 §4.9.3.13, §11.2). Found by
 * fuzzing the BOSH and WebSocket parsers, whose accepted frames are compared with the JDK's
 * parser; dom4j refused some of these names with an exception the decoder did not expect, which
 * became {@code internal-server-error}.
 */
final class NamespaceNames {

    private NamespaceNames() {
    }

    /** Why the start tag the reader is on breaks those rules, or null. */
    static String violation(XMLStreamReader reader) {
        if (!isNcName(reader.getLocalName())) {
            return "element '" + qualified(reader.getPrefix(), reader.getLocalName()) + "' is not a namespace-qualified name";
        }
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            if (!isNcName(reader.getAttributeLocalName(i))) {
                return "attribute '" + qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i))
                        + "' is not a namespace-qualified name";
            }
        }
        for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
            String prefix = nullToEmpty(reader.getNamespacePrefix(i));
            String uri = nullToEmpty(reader.getNamespaceURI(i));
            if (!prefix.isEmpty() && (!isNcName(prefix) || uri.isEmpty())) {
                return "invalid declaration of prefix '" + prefix + "'";
            }
            if (!uri.equals(nullToEmpty(reader.getNamespaceURI(prefix)))) {
                // Declared on this tag but not in effect on it: Aalto's reading of "xmlns:".
                return "invalid namespace declaration";
            }
        }
        return null;
    }

    /**
     * Whether an XML Name without a colon (as the parser's parts always are) is an NCName: not
     * empty, and not starting with a character XML 1.0 allows only after the first
     * ({@code NameChar} minus {@code NameStartChar}, §2.3).
     */
    static boolean isNcName(String part) {
        if (part == null || part.isEmpty()) {
            return false;
        }
        char first = part.charAt(0);
        return !(first == '-' || first == '.' || (first >= '0' && first <= '9') || first == '\u00B7'
                || (first >= '\u0300' && first <= '\u036F') || first == '\u203F' || first == '\u2040');
    }

    private static String qualified(String prefix, String localName) {
        return prefix == null || prefix.isEmpty() ? localName : prefix + ':' + localName;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
