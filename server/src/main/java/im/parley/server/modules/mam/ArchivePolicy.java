package im.parley.server.modules.mam;

import org.dom4j.Element;

/**
 * Which messages go to a user archive: XEP-0313 §6.1.1 ("User Archives": messages of type
 * {@code normal} or {@code chat} with a {@code <body/>}; group chat is left out, which the XEP
 * allows) with the XEP-0334 §4 storage hints {@code <no-store/>} and {@code <no-permanent-store/>}
 * (and {@code <store/>}, which asks for a chat or normal message without a body to be kept).
 */
final class ArchivePolicy {

    static final String HINTS = "urn:xmpp:hints";

    private ArchivePolicy() {
    }

    static boolean shouldArchive(Element message) {
        String type = message.attributeValue("type", "normal");
        if (!"chat".equals(type) && !"normal".equals(type)) {
            return false;
        }
        if (hasHint(message, "no-store") || hasHint(message, "no-permanent-store")) {
            return false;
        }
        return message.element("body") != null || hasHint(message, "store");
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
