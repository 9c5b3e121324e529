package im.parley.server.http;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * A second opinion for the frame fuzz tests: whether the JDK's own XML parser, which shares no
 * code with Aalto or {@link XmlFrameParser}, reads some bytes as a standalone, namespace
 * well-formed document of exactly one element (XML 1.0 §2.1, Namespaces in XML §7), as a BOSH
 * body (XEP-0124 §4) and a WebSocket message (RFC 7395 §3.3.3) must be. Comments, processing
 * instructions and DTDs pass here; the frame parser refuses them on its own (RFC 6120 §11.1).
 */
final class StandaloneXml {

    private static final XMLInputFactory FACTORY = factory();

    private StandaloneXml() {
    }

    /** True if the bytes are one complete, namespace well-formed element and nothing else but whitespace. */
    static boolean isOneElement(byte[] bytes) {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes));
            try {
                int roots = 0;
                int depth = 0;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        roots += depth == 0 ? 1 : 0;
                        depth++;
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                return roots == 1;
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The element the bytes hold, as the JDK's parser reads them on their own: what a WebSocket
     * client makes of a message the server sends. Null if they are not one element. (Built from
     * the parser's events: dom4j's SAXReader drops attributes whose names begin with "xmlns".)
     */
    static Element parse(byte[] bytes) {
        if (!isOneElement(bytes)) {
            return null;
        }
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes));
            Element root = null;
            Element current = null;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Element element = DocumentHelper.createElement(qname(reader.getPrefix(), reader.getLocalName(),
                                reader.getNamespaceURI()));
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            element.add(DocumentHelper.createAttribute(element, qname(reader.getAttributePrefix(i),
                                    reader.getAttributeLocalName(i), reader.getAttributeNamespace(i)),
                                    reader.getAttributeValue(i)));
                        }
                        if (current == null) {
                            root = element;
                        } else {
                            current.add(element);
                        }
                        current = element;
                    }
                    case XMLStreamConstants.END_ELEMENT -> current = current.getParent();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (current != null) {
                            current.addText(reader.getText());
                        }
                    }
                    default -> {
                    }
                }
            }
            return root;
        } catch (XMLStreamException e) {
            return null;
        }
    }

    private static QName qname(String prefix, String localName, String uri) {
        return uri == null || uri.isEmpty() ? new QName(localName)
                : new QName(localName, new Namespace(prefix == null ? "" : prefix, uri));
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
