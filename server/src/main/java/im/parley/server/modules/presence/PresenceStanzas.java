package im.parley.server.modules.presence;

import im.parley.core.stream.Namespaces;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/** Presence stanzas the server makes: copies of client presence re-addressed, and new ones. */
final class PresenceStanzas {

    private PresenceStanzas() {
    }

    /** A copy of {@code presence} from {@code from} to {@code to}; the original is never modified (STYLE.md #13). */
    static Element copy(Element presence, Jid from, Jid to) {
        Element copy = presence.createCopy();
        copy.addAttribute("from", from.toString());
        copy.addAttribute("to", to.toString());
        return copy;
    }

    /** A new presence stanza; {@code type} null means available. */
    static Element create(Jid from, Jid to, String type) {
        Element presence = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
        presence.addAttribute("from", from.toString());
        presence.addAttribute("to", to.toString());
        if (type != null) {
            presence.addAttribute("type", type);
        }
        return presence;
    }
}
