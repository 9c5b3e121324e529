package im.parley.server.modules.muc;

import org.dom4j.Element;
import org.dom4j.QName;

/** The XEP-0359 {@code <stanza-id/>} a room put on a message it broadcast. */
final class StanzaIdOf {

    private StanzaIdOf() {
    }

    /** The id of the room's {@code <stanza-id/>} (the one whose {@code by} is the sender's bare JID, the room), or null. */
    static String room(Element message) {
        String from = message.attributeValue("from", "");
        int slash = from.indexOf('/');
        String room = slash < 0 ? from : from.substring(0, slash);
        for (Element id : message.elements(QName.get("stanza-id", MucNamespaces.SID))) {
            if (room.equals(id.attributeValue("by"))) {
                return id.attributeValue("id");
            }
        }
        return null;
    }
}
