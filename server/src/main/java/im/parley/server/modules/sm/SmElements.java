package im.parley.server.modules.sm;

import im.parley.core.stream.Namespaces;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/** The elements of XEP-0198 in {@code urn:xmpp:sm:3} (XEP-0198 §2-§6, schema §12). */
final class SmElements {

    static final String NS = "urn:xmpp:sm:3";
    private static final Namespace SM = Namespace.get(NS);
    private static final Namespace STANZA_ERRORS = Namespace.get(Namespaces.STANZA_ERRORS);

    private SmElements() {
    }

    static boolean is(Element element, String name) {
        return NS.equals(element.getNamespaceURI()) && name.equals(element.getName());
    }

    /** §2: the stream feature. */
    static Element feature() {
        return create("sm");
    }

    /** §3: {@code <enabled/>}; {@code id} and {@code max} only for a resumable stream. */
    static Element enabled(String id, long maxSeconds) {
        Element enabled = create("enabled");
        if (id != null) {
            enabled.addAttribute("id", id);
            enabled.addAttribute("resume", "true");
            enabled.addAttribute("max", Long.toString(maxSeconds));
        }
        return enabled;
    }

    /** §4: the answer to {@code <r/>}. */
    static Element ack(long h) {
        return create("a").addAttribute("h", Long.toString(h));
    }

    /** §4: a request for an ack. */
    static Element request() {
        return create("r");
    }

    /** §5: a successful resumption. */
    static Element resumed(String previd, long h) {
        return create("resumed").addAttribute("previd", previd).addAttribute("h", Long.toString(h));
    }

    /** §3, §5, §6: {@code <failed/>} with a stanza error condition (RFC 6120 §8.3.3). */
    static Element failed(String condition) {
        Element failed = create("failed");
        failed.addElement(QName.get(condition, STANZA_ERRORS));
        return failed;
    }

    /** §6: the application condition of an {@code undefined-condition} stream error when {@code h} is too high. */
    static Element handledCountTooHigh(long h, long sendCount) {
        return create("handled-count-too-high").addAttribute("h", Long.toString(h))
                .addAttribute("send-count", Long.toString(sendCount));
    }

    private static Element create(String name) {
        return DocumentHelper.createElement(QName.get(name, SM));
    }
}
