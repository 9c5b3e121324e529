package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/** Unique and Stable Stanza IDs (XEP-0359) as the archiving entity adds them. */
final class StanzaIds {

    static final String NAMESPACE = "urn:xmpp:sid:0";
    private static final QName STANZA_ID = QName.get("stanza-id", NAMESPACE);

    private StanzaIds() {
    }

    /** A new id: random, so never reused, even after its message was purged (XEP-0313 §6.2). */
    static String next() {
        return UUID.randomUUID().toString();
    }

    /**
     * XEP-0359 §3.1: a {@code <stanza-id/>} claiming to be by {@code archive} that did not come
     * from it is a spoof and is removed. Returns a copy without them, or the element itself if it
     * has none.
     */
    static Element withoutSpoofed(Element message, EntityBareJid archive) {
        if (spoofed(message, archive) == null) {
            return message;
        }
        Element copy = message.createCopy();
        for (Element id = spoofed(copy, archive); id != null; id = spoofed(copy, archive)) {
            copy.remove(id);
        }
        return copy;
    }

    /** True if {@code message} carries a {@code <stanza-id/>} by {@code archive}, genuine or not. */
    static boolean carriesOneBy(Element message, EntityBareJid archive) {
        return spoofed(message, archive) != null;
    }

    /** A copy of {@code message} with {@code <stanza-id xmlns='urn:xmpp:sid:0' id by/>} added (§3). */
    static Element stamped(Element message, String id, EntityBareJid archive) {
        Element copy = message.createCopy();
        copy.addElement(STANZA_ID).addAttribute("id", id).addAttribute("by", archive.toString());
        return copy;
    }

    /** True if {@code by} is {@code archive} in any spelling that prepares to it (RFC 7622 §3). */
    private static boolean names(String by, EntityBareJid archive) {
        if (by == null) {
            return false;
        }
        try {
            return archive.equals(Jids.parse(by));
        } catch (JidMalformedException e) {
            return false;
        }
    }

    private static Element spoofed(Element message, EntityBareJid archive) {
        for (Element child : message.elements(STANZA_ID)) {
            if (names(child.attributeValue("by"), archive)) {
                return child;
            }
        }
        return null;
    }
}
