package im.parley.server.http;

import im.parley.core.stream.Namespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * A request's {@code <body/>} wrapper (XEP-0124 §4) and what it carries: the attributes the
 * connection manager acts on and the XMPP payload, its children (XEP-0206 §3).
 */
final class BoshBody {

    static final String NAMESPACE = "http://jabber.org/protocol/httpbind";
    static final String XBOSH = "urn:xmpp:xbosh";

    private final Element body;

    private BoshBody(Element body) {
        this.body = body;
    }

    /** Null if the element is not a BOSH body. */
    static BoshBody of(Element element) {
        return "body".equals(element.getName()) && NAMESPACE.equals(element.getNamespaceURI())
                ? new BoshBody(element) : null;
    }

    Element body() {
        return body;
    }

    /** XEP-0124 §14.1: a positive integer below 2^53; empty if missing or malformed. */
    OptionalLong rid() {
        return number("rid");
    }

    String sid() {
        return body.attributeValue("sid");
    }

    String to() {
        return body.attributeValue("to");
    }

    String lang() {
        return body.attributeValue(QName.get("lang", Namespace.XML_NAMESPACE));
    }

    OptionalLong waitSeconds() {
        return number("wait");
    }

    OptionalLong hold() {
        return number("hold");
    }

    OptionalLong ack() {
        return number("ack");
    }

    OptionalLong pauseSeconds() {
        return number("pause");
    }

    boolean hasPause() {
        return body.attributeValue("pause") != null;
    }

    /** XEP-0206 §5: {@code xmpp:version}; null if absent. */
    String xmppVersion() {
        return body.attributeValue(QName.get("version", Namespace.get("xmpp", XBOSH)));
    }

    /** XEP-0206 §5: the client asks for a stream restart. */
    boolean isRestart() {
        String restart = body.attributeValue(QName.get("restart", Namespace.get("xmpp", XBOSH)));
        return "true".equals(restart) || "1".equals(restart);
    }

    /** XEP-0124 §13: the client ends the session. */
    boolean isTerminate() {
        return "terminate".equals(body.attributeValue("type"));
    }

    boolean isEmpty() {
        return body.elements().isEmpty();
    }

    /**
     * The payload, detached, each in {@code jabber:client}: XEP-0206 §3 has clients qualify
     * stanzas with it, and children that inherited the body's namespace are read as if they had.
     */
    List<Element> payload() {
        List<Element> children = new ArrayList<>();
        for (Element child : new ArrayList<>(body.elements())) {
            child.detach();
            requalify(child);
            children.add(child);
        }
        return children;
    }

    private static void requalify(Element element) {
        String uri = element.getNamespaceURI();
        if (NAMESPACE.equals(uri) || uri.isEmpty()) {
            element.setQName(QName.get(element.getName(), Namespace.get(Namespaces.CLIENT)));
            for (Element child : element.elements()) {
                requalify(child);
            }
        }
    }

    private OptionalLong number(String name) {
        String text = body.attributeValue(name);
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(text.trim());
            return value < 0 || value >= (1L << 53) ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
