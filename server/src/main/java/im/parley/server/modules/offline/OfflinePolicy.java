package im.parley.server.modules.offline;

import org.dom4j.Element;

/**
 * Which messages go to offline storage: XEP-0160 §3 ("Handling of Message Types") with the
 * XEP-0334 §4 storage hints.
 */
final class OfflinePolicy {

    static final String HINTS = "urn:xmpp:hints";
    static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    /** XEP-0359 origin and stanza ids: identifiers, not content. */
    static final String STANZA_IDS = "urn:xmpp:sid:0";

    private OfflinePolicy() {
    }

    /**
     * XEP-0160 §3: normal messages (also without a type) and chat messages are stored, except
     * those carrying nothing but chat state notifications; groupchat, headline and error
     * messages are not. XEP-0334 §4: {@code <no-store/>} forbids storage and {@code <store/>}
     * asks for it whatever the type (errors never).
     */
    static boolean shouldStore(Element message) {
        String type = message.attributeValue("type", "normal");
        if ("error".equals(type) || hasHint(message, "no-store")) {
            return false;
        }
        if (hasHint(message, "store")) {
            return true;
        }
        return ("normal".equals(type) || "chat".equals(type)) && hasContent(message);
    }

    /**
     * True if the message carries something for a human or a client to act on later: anything
     * but chat states, hints, stanza ids and a lone thread id (XEP-0160 §3 names chat states; the
     * others carry no content either).
     */
    private static boolean hasContent(Element message) {
        for (Element child : message.elements()) {
            String ns = child.getNamespaceURI();
            boolean bare = CHAT_STATES.equals(ns) || HINTS.equals(ns) || STANZA_IDS.equals(ns)
                    || ("thread".equals(child.getName()) && ns.equals(message.getNamespaceURI()));
            if (!bare) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasHint(Element message, String hint) {
        for (Element child : message.elements()) {
            if (hint.equals(child.getName()) && HINTS.equals(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }
}
