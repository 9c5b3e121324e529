package im.parley.server.modules.carbons;

import java.util.Set;
import org.dom4j.Element;

/**
 * Which messages are copied (XEP-0280 §6, "Messages Eligible for Carbons Delivery"): the
 * messages of instant messaging, and only those. The XEP leaves the exact rules to the server
 * and suggests a set; Parley follows it, with the hints of XEP-0280 §8 and XEP-0334.
 */
final class CarbonRules {

    static final String CARBONS = "urn:xmpp:carbons:2";
    static final String HINTS = "urn:xmpp:hints";
    static final String MUC_USER = "http://jabber.org/protocol/muc#user";

    /**
     * Payloads of instant messaging that a message of type {@code normal} may carry without a
     * body and still belong to a conversation: chat states (XEP-0085), receipts (XEP-0184),
     * markers (XEP-0333), corrections (XEP-0308), reactions (XEP-0444), retractions (XEP-0424),
     * OMEMO (XEP-0384) and call invitations (XEP-0353).
     */
    private static final Set<String> IM_PAYLOADS = Set.of(
            "http://jabber.org/protocol/chatstates",
            "urn:xmpp:receipts",
            "urn:xmpp:chat-markers:0",
            "urn:xmpp:message-correct:0",
            "urn:xmpp:reactions:0",
            "urn:xmpp:message-retract:1",
            "eu.siacs.conversations.axolotl",
            "urn:xmpp:jingle-message:0",
            "urn:xmpp:jingle-message:1");

    private CarbonRules() {
    }

    /**
     * XEP-0280 §6: eligible if of type {@code chat}, of type {@code normal} with a body (or an
     * instant messaging payload), or of type {@code error} (a bounce of a conversation's
     * message; the XEP's rule asks for correlation with the message it answers, which Parley
     * does not track). Never: messages marked {@code <private/>} (§8) or with the XEP-0334
     * {@code <no-copy/>} hint, group chat and messages of a MUC room or service, private
     * messages in a room included (§6), headlines, and carbons themselves.
     */
    static boolean isEligible(Element message) {
        if (!"message".equals(message.getName()) || hasChild(message, "private", CARBONS)
                || hasChild(message, "no-copy", HINTS) || hasChild(message, "received", CARBONS)
                || hasChild(message, "sent", CARBONS) || hasChild(message, "x", MUC_USER)) {
            return false;
        }
        String type = message.attributeValue("type", "normal");
        return switch (type) {
            case "chat", "error" -> true;
            case "normal" -> message.element("body") != null || hasImPayload(message);
            default -> false;
        };
    }

    /** True if the message carries {@code <private xmlns='urn:xmpp:carbons:2'/>} (XEP-0280 §8). */
    static boolean isPrivate(Element message) {
        return hasChild(message, "private", CARBONS);
    }

    private static boolean hasImPayload(Element message) {
        for (Element child : message.elements()) {
            if (IM_PAYLOADS.contains(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasChild(Element parent, String name, String namespace) {
        for (Element child : parent.elements()) {
            if (name.equals(child.getName()) && namespace.equals(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }
}
