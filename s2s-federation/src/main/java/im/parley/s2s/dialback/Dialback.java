package im.parley.s2s.dialback;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamOpen;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/** The Server Dialback elements (XEP-0220 §2) and the stream feature that announces it (§2.3). */
public final class Dialback {

    public static final Namespace DB = Namespace.get("db", Namespaces.DIALBACK);

    /**
     * The header with {@code xmlns:db} declared: XEP-0220 §2.1.1 has the dialback namespace
     * declared on the stream header, and ejabberd ignores {@code db:result} on streams whose
     * header lacks it.
     */
    public static StreamOpen declaredOn(StreamOpen header) {
        return header.withNamespace(DB.getPrefix(), DB.getURI());
    }
    /** XEP-0220 §2.3 / XEP-0220's dialback stream feature namespace. */
    public static final String FEATURE_NS = "urn:xmpp:features:dialback";

    private Dialback() {
    }

    public static boolean isResult(Element element) {
        return "result".equals(element.getName()) && Namespaces.DIALBACK.equals(element.getNamespaceURI());
    }

    public static boolean isVerify(Element element) {
        return "verify".equals(element.getName()) && Namespaces.DIALBACK.equals(element.getNamespaceURI());
    }

    /** {@code <db:result from to>key</db:result>}: the originating server's request (§2.1.1). */
    public static Element result(String from, String to, String key) {
        Element result = element("result", from, to);
        result.setText(key);
        return result;
    }

    /** {@code <db:result type='valid|invalid'/>}: the receiving server's answer (§2.1.3). */
    public static Element resultAnswer(String from, String to, boolean valid) {
        Element result = element("result", from, to);
        result.addAttribute("type", valid ? "valid" : "invalid");
        return result;
    }

    /** {@code <db:verify from to id>key</db:verify>}: the receiving server asks the authoritative one (§2.1.2). */
    public static Element verify(String from, String to, String id, String key) {
        Element verify = element("verify", from, to);
        verify.addAttribute("id", id);
        verify.setText(key);
        return verify;
    }

    /** {@code <db:verify type='valid|invalid'/>}: the authoritative server's answer (§2.1.2). */
    public static Element verifyAnswer(String from, String to, String id, boolean valid) {
        Element verify = element("verify", from, to);
        verify.addAttribute("id", id);
        verify.addAttribute("type", valid ? "valid" : "invalid");
        return verify;
    }

    /**
     * A dialback error (§2.4): {@code <db:result type='error'>} or {@code <db:verify type='error'>}
     * with a stanza error condition such as {@code item-not-found} or {@code not-authorized}.
     */
    public static Element error(Element request, String errorType, String condition) {
        Element error = element(request.getName(), request.attributeValue("to"), request.attributeValue("from"));
        if (request.attributeValue("id") != null) {
            error.addAttribute("id", request.attributeValue("id"));
        }
        error.addAttribute("type", "error");
        Element child = error.addElement(QName.get("error", Namespace.get(Namespaces.SERVER)));
        child.addAttribute("type", errorType);
        child.addElement(QName.get(condition, Namespace.get(Namespaces.STANZA_ERRORS)));
        return error;
    }

    /** The stream feature {@code <dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>}. */
    public static Element feature() {
        Element feature = DocumentHelper.createElement(QName.get("dialback", Namespace.get(FEATURE_NS)));
        feature.addElement(QName.get("errors", Namespace.get(FEATURE_NS)));
        return feature;
    }

    private static Element element(String name, String from, String to) {
        Element element = DocumentHelper.createElement(QName.get(name, DB));
        if (from != null) {
            element.addAttribute("from", from);
        }
        if (to != null) {
            element.addAttribute("to", to);
        }
        return element;
    }
}
