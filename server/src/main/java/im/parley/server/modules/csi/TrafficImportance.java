package im.parley.server.modules.csi;

import org.dom4j.Element;

/**
 * What an inactive client must still get at once (XEP-0352 §1, §6: the server "MAY suppress or
 * delay" traffic the client does not need while inactive; what counts is left to the server).
 * As Prosody's mod_csi_simple does: messages with a body (also inside a carbon or forward) or
 * end-to-end encrypted payloads, a room's subject (the last step of entering a room, XEP-0045
 * §7.2.15, which brings the room's presences held before it), subscription requests and answers,
 * errors and IQs are important; presence updates and messages without a body (chat states,
 * receipts, markers) can wait.
 */
final class TrafficImportance {

    private TrafficImportance() {
    }

    static boolean isImportant(Element stanza) {
        String type = stanza.attributeValue("type");
        if ("error".equals(type)) {
            return true;
        }
        return switch (stanza.getName()) {
            case "presence" -> type != null && !"unavailable".equals(type) && !"probe".equals(type);
            case "message" -> hasBodyOrPayload(stanza) || stanza.element("subject") != null;
            default -> true;
        };
    }

    private static boolean hasBodyOrPayload(Element element) {
        for (Element child : element.elements()) {
            String name = child.getName();
            if ("body".equals(name) || "encrypted".equals(name) || hasBodyOrPayload(child)) {
                return true;
            }
        }
        return false;
    }

    /** Key under which a held-back stanza replaces an earlier one: presence of one sender collapses to the latest. */
    static String collapseKey(Element stanza) {
        if ("presence".equals(stanza.getName())) {
            return "presence " + stanza.attributeValue("from");
        }
        return null;
    }
}
