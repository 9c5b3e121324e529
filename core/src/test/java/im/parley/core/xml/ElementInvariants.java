package im.parley.core.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Node;

/**
 * Measures of parsed elements that the fuzz tests check: nesting depth, the fewest bytes an
 * element can have taken on the wire, and a canonical form for comparing two parses.
 */
public final class ElementInvariants {

    private ElementInvariants() {
    }

    /**
     * Fails unless the top-level element keeps the limits: each measure here is at most what the
     * decoder counted, so one over a limit means the decoder let the element through anyway.
     */
    public static void checkLimits(Element element, XmlLimits limits) {
        assertThat(depth(element)).as("depth").isLessThanOrEqualTo(limits.maxDepth());
        assertThat(minimumWireBytes(element)).as("size").isLessThanOrEqualTo(limits.maxStanzaBytes());
        assertThat(mostAttributes(element)).as("attributes on one tag").isLessThanOrEqualTo(limits.maxAttributes());
        assertThat(extraDeclarations(element)).as("namespace declarations")
                .isLessThanOrEqualTo(limits.maxNamespaceDeclarations());
        assertThat(localNames(element, new HashSet<>()).size()).as("distinct names").isLessThanOrEqualTo(limits.maxNames());
    }

    /** Levels of nesting, the element itself being 1 (as {@link XmlLimits#maxDepth()} counts). */
    public static int depth(Element element) {
        int deepest = 0;
        for (Element child : element.elements()) {
            deepest = Math.max(deepest, depth(child));
        }
        return 1 + deepest;
    }

    private static int mostAttributes(Element element) {
        int most = element.attributeCount();
        for (Element child : element.elements()) {
            most = Math.max(most, mostAttributes(child));
        }
        return most;
    }

    /** Declarations the element and its descendants carry beside their own names' (a lower bound). */
    private static int extraDeclarations(Element element) {
        int count = element.additionalNamespaces().size();
        for (Element child : element.elements()) {
            count += extraDeclarations(child);
        }
        return count;
    }

    /** The local names of elements and attributes (fewer than the names the decoder counts). */
    private static Set<String> localNames(Element element, Set<String> names) {
        names.add(element.getName());
        for (int i = 0, n = element.attributeCount(); i < n; i++) {
            names.add(element.attribute(i).getName());
        }
        for (Element child : element.elements()) {
            localNames(child, names);
        }
        return names;
    }

    /**
     * A lower bound of the element's size in UTF-8 on the wire: every character of a name,
     * attribute value or text took at least one byte (an entity or character reference, a
     * multi-byte sequence or a CR LF pair took more), and each tag and attribute has its markup.
     * If this exceeds a size limit, the decoder let through an element larger than the limit.
     */
    public static int minimumWireBytes(Element element) {
        // "<" name "/>" at the least.
        int bytes = 1 + element.getName().length() + 2;
        for (int i = 0, n = element.attributeCount(); i < n; i++) {
            Attribute attribute = element.attribute(i);
            // " " name "='" value "'"
            bytes += 1 + attribute.getName().length() + 3 + attribute.getValue().length();
        }
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            Node node = element.node(i);
            if (node instanceof Element child) {
                bytes += minimumWireBytes(child);
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                bytes += node.getText().length();
            }
        }
        return bytes;
    }

    /**
     * The element as expanded names, attributes in order and text, independent of prefixes and
     * of how text was split into nodes: two parses of the same XML give the same string.
     */
    public static String canonical(Element element) {
        StringBuilder out = new StringBuilder();
        canonical(element, out);
        return out.toString();
    }

    /**
     * The canonical forms of decoded objects: a stream fault as its condition alone (the RFC 6120
     * answer; the text is the parser's wording), anything else but an element as its own string.
     */
    public static List<String> canonical(List<?> decoded) {
        return decoded.stream().map(o -> o instanceof Element e ? canonical(e)
                : o instanceof StreamFault f ? "fault:" + f.error().condition().elementName() : String.valueOf(o)).toList();
    }

    private static void canonical(Element element, StringBuilder out) {
        out.append("<{").append(element.getNamespaceURI()).append('}').append(element.getName());
        for (int i = 0, n = element.attributeCount(); i < n; i++) {
            Attribute attribute = element.attribute(i);
            out.append(" {").append(attribute.getNamespaceURI()).append('}').append(attribute.getName())
                    .append("=\"").append(escape(attribute.getValue())).append('"');
        }
        out.append('>');
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            Node node = element.node(i);
            if (node instanceof Element child) {
                flushText(text, out);
                canonical(child, out);
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(node.getText());
            }
        }
        flushText(text, out);
        out.append("</>");
    }

    private static void flushText(StringBuilder text, StringBuilder out) {
        if (text.length() > 0) {
            out.append('"').append(escape(text.toString())).append('"');
            text.setLength(0);
        }
    }

    /** Every character outside printable ASCII as a code point, so differences are visible. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') {
                out.append((char) c);
            } else {
                out.append("\\u{").append(Integer.toHexString(c)).append('}');
            }
        });
        return out.toString();
    }
}
