package im.parley.core.xml;

/** Attribute values for XML built as text. */
public final class XmlAttributes {

    private XmlAttributes() {
    }

    /**
     * Appends {@code value} escaped for an attribute in single or double quotes: markup
     * characters, both quotes, and the whitespace that attribute-value normalization (XML 1.0
     * §3.3.3) would otherwise turn into spaces.
     */
    public static StringBuilder appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                case '\t', '\n', '\r' -> out.append("&#").append((int) c).append(';');
                default -> out.append(c);
            }
        }
        return out;
    }
}
