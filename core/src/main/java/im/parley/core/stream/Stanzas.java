package im.parley.core.stream;

import org.dom4j.Element;

/** Helpers for the three stanza kinds (RFC 6120 §8). Stanzas are dom4j elements. */
public final class Stanzas {

    private Stanzas() {
    }

    /** True for {@code message}, {@code presence} and {@code iq} in a stanza content namespace. */
    public static boolean isStanza(Element element) {
        String ns = element.getNamespaceURI();
        if (!Namespaces.CLIENT.equals(ns) && !Namespaces.SERVER.equals(ns)) {
            return false;
        }
        String name = element.getName();
        return "message".equals(name) || "presence".equals(name) || "iq".equals(name);
    }

    public static String type(Element stanza) {
        return stanza.attributeValue("type");
    }

    /** True if the stanza is itself an error (never answer an error with an error, §8.3.1). */
    public static boolean isError(Element stanza) {
        return "error".equals(type(stanza));
    }

    /** True for IQ results and errors, which must never be answered with an error (§8.2.3). */
    public static boolean isIqResponse(Element stanza) {
        String type = type(stanza);
        return "iq".equals(stanza.getName()) && ("result".equals(type) || "error".equals(type));
    }

    /**
     * The error reply to a stanza (RFC 6120 §8.3.1): a copy of the stanza with {@code to} and
     * {@code from} swapped, {@code type='error'} and the error child appended. The original is
     * left untouched (stanzas are immutable once routing starts).
     */
    public static Element errorReply(Element stanza, StanzaError error) {
        Element reply = stanza.createCopy();
        String to = stanza.attributeValue("to");
        String from = stanza.attributeValue("from");
        setOrRemove(reply, "to", from);
        setOrRemove(reply, "from", to);
        reply.addAttribute("type", "error");
        reply.add(error.toElement(stanza.getNamespaceURI()));
        return reply;
    }

    /** An empty IQ result for an IQ request (RFC 6120 §8.2.3). */
    public static Element iqResult(Element iq) {
        Element result = org.dom4j.DocumentHelper.createElement(iq.getQName());
        String to = iq.attributeValue("to");
        String from = iq.attributeValue("from");
        setOrRemove(result, "to", from);
        setOrRemove(result, "from", to);
        result.addAttribute("id", iq.attributeValue("id"));
        result.addAttribute("type", "result");
        return result;
    }

    private static void setOrRemove(Element element, String name, String value) {
        if (value == null) {
            var attr = element.attribute(name);
            if (attr != null) {
                element.remove(attr);
            }
        } else {
            element.addAttribute(name, value);
        }
    }
}
