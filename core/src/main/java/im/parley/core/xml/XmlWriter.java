package im.parley.core.xml;

import im.parley.core.stream.Namespaces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;

/**
 * Writes dom4j elements as UTF-8 straight into a ByteBuf, declaring only the namespaces not
 * already in scope. Comments and processing instructions are never written (RFC 6120 §11.1);
 * characters XML 1.0 does not allow are dropped (§11.2 of XML 1.0: Char production).
 */
final class XmlWriter {
    /** ASCII characters written as they are in text: all of XML's but {@code & < >} and CR. */
    private static final boolean[] PLAIN_IN_TEXT = plainAscii("&<>\r");
    /** ASCII characters written as they are in an attribute: also not quotes nor TAB, LF. */
    private static final boolean[] PLAIN_IN_ATTRIBUTE = plainAscii("&<>\r'\"\t\n");

    private final NamespaceScope scope;
    private ByteBuf out;

    XmlWriter(NamespaceScope scope) {
        this.scope = scope;
    }

    void writeElement(ByteBuf target, Element element) {
        out = target;
        try {
            element(element);
        } finally {
            out = null;
        }
    }

    private void element(Element element) {
        int mark = scope.mark();
        String uri = element.getNamespaceURI();
        String prefix = element.getNamespacePrefix();
        boolean declare = false;
        if (!uri.equals(scope.uriOf(prefix))) {
            if (Namespaces.STREAMS.equals(uri) && Namespaces.STREAMS.equals(scope.uriOf("stream"))) {
                // The stream header already bound 'stream:' (RFC 6120 §4.8.5); reuse it.
                prefix = "stream";
            } else {
                declare = true;
            }
        }
        ascii("<");
        name(prefix, element.getName());
        if (declare) {
            declareNamespace(prefix, uri);
        }
        for (Namespace ns : element.additionalNamespaces()) {
            String extraPrefix = ns.getPrefix();
            if (!extraPrefix.equals(prefix) && !"xml".equals(extraPrefix)
                    && !ns.getURI().equals(scope.uriOf(extraPrefix))) {
                declareNamespace(extraPrefix, ns.getURI());
            }
        }
        for (int i = 0, n = element.attributeCount(); i < n; i++) {
            attribute(element.attribute(i));
        }
        if (hasContent(element)) {
            ascii(">");
            content(element);
            ascii("</");
            name(prefix, element.getName());
            ascii(">");
        } else {
            ascii("/>");
        }
        scope.popTo(mark);
    }

    private void attribute(Attribute attribute) {
        String uri = attribute.getNamespaceURI();
        String prefix;
        if (uri.isEmpty()) {
            String name = attribute.getName();
            if ("xmlns".equals(name) || name.startsWith("xmlns:")) {
                // Namespaces come from QNames only; a literal xmlns attribute would contradict them.
                return;
            }
            prefix = "";
        } else if (Namespace.XML_NAMESPACE.getURI().equals(uri)) {
            prefix = "xml";
        } else {
            prefix = attributePrefix(attribute.getNamespacePrefix(), uri);
        }
        ascii(" ");
        name(prefix, attribute.getName());
        ascii("='");
        escaped(attribute.getValue(), true);
        ascii("'");
    }

    /** Attributes cannot use the default namespace, so a prefix is always found or made. */
    private String attributePrefix(String preferred, String uri) {
        if (!preferred.isEmpty() && uri.equals(scope.uriOf(preferred))) {
            return preferred;
        }
        String bound = scope.prefixOf(uri);
        if (bound != null) {
            return bound;
        }
        String prefix = preferred;
        for (int i = 0; prefix.isEmpty() || scope.uriOf(prefix) != null; i++) {
            prefix = "ns" + i;
        }
        declareNamespace(prefix, uri);
        return prefix;
    }

    private void declareNamespace(String prefix, String uri) {
        ascii(prefix.isEmpty() ? " xmlns='" : " xmlns:");
        if (!prefix.isEmpty()) {
            utf8(prefix);
            ascii("='");
        }
        escaped(uri, true);
        ascii("'");
        scope.bind(prefix, uri);
    }

    private void content(Element element) {
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            Node node = element.node(i);
            switch (node.getNodeType()) {
                case Node.ELEMENT_NODE -> element((Element) node);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE, Node.ENTITY_REFERENCE_NODE ->
                        escaped(node.getText(), false);
                default -> {
                    // Namespace nodes are declared with their element; comments and
                    // processing instructions are restricted XML (RFC 6120 §11.1).
                }
            }
        }
    }

    private static boolean hasContent(Element element) {
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            Node node = element.node(i);
            short type = node.getNodeType();
            if (type == Node.ELEMENT_NODE) {
                return true;
            }
            if ((type == Node.TEXT_NODE || type == Node.CDATA_SECTION_NODE || type == Node.ENTITY_REFERENCE_NODE)
                    && !node.getText().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void writeStreamOpen(ByteBuf target, StreamOpen open) {
        out = target;
        try {
            ascii("<?xml version='1.0'?><stream:stream");
            if (open.contentNamespace() != null) {
                declareNamespace("", open.contentNamespace());
            }
            declareNamespace("stream", Namespaces.STREAMS);
            open.namespaces().forEach(this::declareNamespace);
            headerAttribute("id", open.id());
            headerAttribute("from", open.from());
            headerAttribute("to", open.to());
            headerAttribute("version", open.version());
            headerAttribute("xml:lang", open.lang());
            ascii(">");
        } finally {
            out = null;
        }
    }

    private void headerAttribute(String name, String value) {
        if (value != null) {
            ascii(" ");
            ascii(name);
            ascii("='");
            escaped(value, true);
            ascii("'");
        }
    }

    private void name(String prefix, String localName) {
        if (!prefix.isEmpty()) {
            utf8(prefix);
            ascii(":");
        }
        utf8(localName);
    }

    /**
     * Writes text with markup characters escaped. In attributes, quotes and whitespace other
     * than spaces are escaped too, so attribute-value normalization leaves them intact.
     */
    private void escaped(String text, boolean attribute) {
        int length = text.length();
        // Most text needs nothing escaped or dropped: found in one tight pass, written in one piece.
        int first = plainPrefix(text, attribute ? PLAIN_IN_ATTRIBUTE : PLAIN_IN_TEXT);
        if (first == length) {
            ByteBufUtil.writeUtf8(out, text, 0, length);
            return;
        }
        int runStart = 0;
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            String replacement;
            if (c == '&') {
                replacement = "&amp;";
            } else if (c == '<') {
                replacement = "&lt;";
            } else if (c == '>') {
                replacement = "&gt;";
            } else if (c == '\r') {
                replacement = "&#xD;";
            } else if (attribute && c == '\'') {
                replacement = "&apos;";
            } else if (attribute && c == '"') {
                replacement = "&quot;";
            } else if (attribute && c == '\n') {
                replacement = "&#xA;";
            } else if (attribute && c == '\t') {
                replacement = "&#x9;";
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            } else if (isXmlChar(c)) {
                continue;
            } else {
                replacement = "";
            }
            if (i > runStart) {
                ByteBufUtil.writeUtf8(out, text, runStart, i);
            }
            ascii(replacement);
            runStart = i + 1;
        }
        if (runStart < length) {
            ByteBufUtil.writeUtf8(out, text, runStart, length);
        }
    }

    /**
     * True if an attribute value is written as its UTF-8 bytes, nothing escaped or dropped: for
     * those that put a value into XML this writer wrote and must match it byte for byte.
     */
    static boolean attributeWrittenAsIs(String value) {
        return plainPrefix(value, PLAIN_IN_ATTRIBUTE) == value.length();
    }

    /**
     * The length of the run at the start of {@code text} written as it is: ASCII as {@code plain}
     * says, other characters of XML's Char production but surrogates (a pair is kept, but by the
     * slow path).
     */
    private static int plainPrefix(String text, boolean[] plain) {
        int i = 0;
        for (int length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80 ? !plain[c] : c >= 0xD800 && c < 0xE000 || c > 0xFFFD) {
                break;
            }
        }
        return i;
    }

    private static boolean[] plainAscii(String escapedOrDropped) {
        boolean[] plain = new boolean[0x80];
        for (char c = 0; c < 0x80; c++) {
            plain[c] = isXmlChar(c) && escapedOrDropped.indexOf(c) < 0;
        }
        return plain;
    }

    /** XML 1.0 Char production for a single UTF-16 unit; lone surrogates do not qualify. */
    private static boolean isXmlChar(char c) {
        return c == '\t' || c == '\n' || c == '\r'
                || (c >= 0x20 && c < 0xD800)
                || (c >= 0xE000 && c <= 0xFFFD);
    }

    private void ascii(String s) {
        ByteBufUtil.writeAscii(out, s);
    }

    private void utf8(String s) {
        ByteBufUtil.writeUtf8(out, s);
    }
}
