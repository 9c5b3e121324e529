package im.parley.push;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/** IQ replies in the component stream's namespace (RFC 6120 §8.2.3, §8.3). */
final class Iqs {

    static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private Iqs() {
    }

    static Element result(Element request) {
        Element result = DocumentHelper.createElement(QName.get("iq", request.getNamespace()));
        result.addAttribute("type", "result").addAttribute("id", request.attributeValue("id"))
                .addAttribute("from", request.attributeValue("to")).addAttribute("to", request.attributeValue("from"));
        return result;
    }

    /** An error reply: {@code type} is cancel, modify, auth or wait (RFC 6120 §8.3.2). */
    static Element error(Element request, String type, String condition, String text) {
        Element error = DocumentHelper.createElement(QName.get("iq", request.getNamespace()));
        error.addAttribute("type", "error").addAttribute("id", request.attributeValue("id"))
                .addAttribute("from", request.attributeValue("to")).addAttribute("to", request.attributeValue("from"));
        Element child = error.addElement(QName.get("error", request.getNamespace())).addAttribute("type", type);
        child.addElement(QName.get(condition, STANZA_ERRORS));
        if (text != null) {
            child.addElement(QName.get("text", STANZA_ERRORS)).setText(text);
        }
        return error;
    }

    /** The bare part of a JID string. */
    static String bare(String jid) {
        if (jid == null) {
            return null;
        }
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** The domain part of a JID string. */
    static String domain(String jid) {
        String bare = bare(jid);
        int at = bare.indexOf('@');
        return at < 0 ? bare : bare.substring(at + 1);
    }
}
