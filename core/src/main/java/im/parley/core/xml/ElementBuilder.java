package im.parley.core.xml;

import javax.xml.stream.XMLStreamReader;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Builds one detached dom4j element straight from parser events: the single parse RFC 6120
 * traffic gets. Names and namespaces are created with constructors rather than dom4j's
 * global caches, which a peer sending ever-new namespaces would otherwise grow forever.
 */
final class ElementBuilder {
    private static final DocumentFactory FACTORY = DocumentFactory.getInstance();

    private final StringBuilder pendingText = new StringBuilder();
    private Element current;
    private int depth;

    /** Open elements of the element being built; 0 between top-level elements. */
    int depth() {
        return depth;
    }

    void startElement(XMLStreamReader reader) {
        flushText();
        Element element = FACTORY.createElement(qname(reader.getPrefix(), reader.getLocalName(),
                reader.getNamespaceURI()));
        String elementPrefix = nullToEmpty(reader.getPrefix());
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = nullToEmpty(reader.getNamespacePrefix(i));
            if (!prefix.equals(elementPrefix)) {
                // Kept so that prefixes used only in attribute values or text still resolve.
                element.add(new Namespace(prefix, nullToEmpty(reader.getNamespaceURI(i))));
            }
        }
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            // add(Attribute) appends; addAttribute(QName, String) first searches the element's
            // attributes for the name, quadratic in their number. The parser already refused
            // two attributes with the same expanded name (Namespaces in XML 1.0 §6.3).
            element.add(FACTORY.createAttribute(element, qname(reader.getAttributePrefix(i),
                    reader.getAttributeLocalName(i), reader.getAttributeNamespace(i)), reader.getAttributeValue(i)));
        }
        if (current != null) {
            current.add(element);
        }
        current = element;
        depth++;
    }

    void text(char[] chars, int start, int length) {
        pendingText.append(chars, start, length);
    }

    /** Closes the current element; returns the top-level element once it is complete. */
    Element endElement() {
        flushText();
        Element closed = current;
        current = closed.getParent();
        depth--;
        return depth == 0 ? closed : null;
    }

    void clear() {
        pendingText.setLength(0);
        current = null;
        depth = 0;
    }

    private void flushText() {
        if (pendingText.length() > 0 && current != null) {
            current.addText(pendingText.toString());
        }
        pendingText.setLength(0);
    }

    private static QName qname(String prefix, String localName, String namespaceUri) {
        String uri = nullToEmpty(namespaceUri);
        if (uri.isEmpty()) {
            return new QName(localName, Namespace.NO_NAMESPACE);
        }
        if (Namespace.XML_NAMESPACE.getURI().equals(uri)) {
            return new QName(localName, Namespace.XML_NAMESPACE);
        }
        return new QName(localName, new Namespace(nullToEmpty(prefix), uri));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
