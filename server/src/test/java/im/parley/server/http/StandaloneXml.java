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
            return read(bytes) != null;
        } catch (XMLStreamException | RuntimeException e) {
            return hasNoOpinion(e);
        }
    }

    /**
     * The element the bytes hold, as the JDK's parser reads them on their own: what a WebSocket
     * client makes of a message the server sends. Null if the JDK has no opinion (its limits);
     * fails if the bytes are not one element.
     */
    static Element readAsClient(byte[] bytes) {
        try {
            Element element = read(bytes);
            if (element == null) {
                throw new AssertionError("not one element");
            }
            return element;
        } catch (XMLStreamException | RuntimeException e) {
            if (hasNoOpinion(e)) {
                return null;
            }
            throw new AssertionError("not well-formed: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's own processing limits (JAXP00010005: names, and here namespace names too, up to
     * 1000 characters) are no rule of XML: past them the JDK has no opinion. Nor has it on a
     * declaration of version 1.x other than 1.0 and 1.1, which it refuses ("only XML 1.0 is
     * supported") where XML 1.0 (fifth edition, §2.8) says to read the document as 1.0.
     */
    private static boolean hasNoOpinion(Exception e) {
        String message = e.getMessage();
        return message != null && (message.contains("JAXP00010005") || message.contains("only XML 1.0 is supported"));
    }

    /**
     * The one element, built from the parser's events (dom4j's SAXReader drops attributes whose
     * names begin with "xmlns"), or null if there is more than one root.
     */
    private static Element read(byte[] bytes) throws XMLStreamException {
        XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes));
        try {
            Element root = null;
            Element current = null;
            int roots = 0;
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
                            roots++;
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
            return roots == 1 ? root : null;
        } finally {
            reader.close();
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
