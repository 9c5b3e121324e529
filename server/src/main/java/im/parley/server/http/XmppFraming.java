package im.parley.server.http;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamOpen;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * The framing elements of XMPP over WebSocket (RFC 7395 §3.3.2, §3.4): {@code <open/>} stands for
 * the stream header, {@code <close/>} for the stream end.
 */
final class XmppFraming {

    static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final Namespace NS = Namespace.get(NAMESPACE);

    private XmppFraming() {
    }

    static boolean isOpen(Element element) {
        return "open".equals(element.getName()) && NAMESPACE.equals(element.getNamespaceURI());
    }

    static boolean isClose(Element element) {
        return "close".equals(element.getName()) && NAMESPACE.equals(element.getNamespaceURI());
    }

    /** RFC 7395 §3.4: the client's {@code <open/>} as a stream header for a client stream. */
    static StreamOpen toStreamOpen(Element open) {
        return new StreamOpen(open.attributeValue("to"), open.attributeValue("from"), open.attributeValue("id"),
                open.attributeValue("version"), open.attributeValue(QName.get("lang", Namespace.XML_NAMESPACE)),
                Namespaces.CLIENT);
    }

    /** RFC 7395 §3.4: the server's answer to {@code <open/>}. */
    static Element open(StreamOpen header) {
        Element open = DocumentHelper.createElement(QName.get("open", NS));
        attribute(open, "from", header.from());
        attribute(open, "to", header.to());
        attribute(open, "id", header.id());
        attribute(open, "version", header.version());
        if (header.lang() != null) {
            open.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), header.lang());
        }
        return open;
    }

    /** RFC 7395 §3.6: the stream end. */
    static Element close() {
        return DocumentHelper.createElement(QName.get("close", NS));
    }

    private static void attribute(Element element, String name, String value) {
        if (value != null) {
            element.addAttribute(name, value);
        }
    }
}
