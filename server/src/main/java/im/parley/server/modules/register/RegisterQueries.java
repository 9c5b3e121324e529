package im.parley.server.modules.register;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StanzaErrorType;
import im.parley.core.stream.Stanzas;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/** The {@code jabber:iq:register} payloads and replies both registration paths share (XEP-0077). */
public final class RegisterQueries {

    public static final String NAMESPACE = "jabber:iq:register";
    /** The stream feature namespace (XEP-0077 §8, "Stream Feature"). */
    public static final String FEATURE_NAMESPACE = "http://jabber.org/features/iq-register";
    static final Namespace NS = Namespace.get(NAMESPACE);

    private RegisterQueries() {
    }

    /** The {@code <query/>} of a registration IQ, or null. */
    public static Element query(Element iq) {
        return iq.element(QName.get("query", NS));
    }

    /** The trimmed text of a child of the query, or null when absent or empty. */
    public static String field(Element query, String name) {
        String text = query.elementTextTrim(QName.get(name, NS));
        return text == null || text.isEmpty() ? null : text;
    }

    /** True if the query holds {@code <remove/>} (XEP-0077 §3.2). */
    public static boolean isRemove(Element query) {
        return query.element(QName.get("remove", NS)) != null;
    }

    /** An IQ result carrying a fresh {@code <query/>} to fill. */
    public static Element resultWithQuery(Element iq) {
        Element result = Stanzas.iqResult(iq);
        result.addElement(QName.get("query", NS));
        return result;
    }

    /**
     * An error reply that leaves out the request's payload: it may hold a password, which
     * XEP-0077 §3.3 says not to send back.
     */
    public static Element error(Element iq, StanzaErrorCondition condition, String text) {
        return error(iq, new StanzaError(condition.defaultType(), condition, text));
    }

    /** As {@link #error(Element, StanzaErrorCondition, String)} with an explicit error type. */
    public static Element error(Element iq, StanzaErrorType type, StanzaErrorCondition condition, String text) {
        return error(iq, new StanzaError(type, condition, text));
    }

    private static Element error(Element iq, StanzaError error) {
        Element reply = Stanzas.iqResult(iq);
        reply.addAttribute("type", "error");
        reply.add(error.toElement(Namespaces.CLIENT));
        return reply;
    }
}
