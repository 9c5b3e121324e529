package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.avatar.Avatar;
import im.parley.server.modules.vcard.VcardModule;
import java.nio.charset.StandardCharsets;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * A room's vCard (vcard-temp, XEP-0054) and the avatar in it (XEP-0153), as Prosody's MUC keeps
 * one: owners set it with an IQ set to the room's JID, anyone gets it; the room's presence to its
 * occupants carries the photo's hash ({@code vcard-temp:x:update}, XEP-0153 §4.1), sent to each
 * newcomer and to everyone when it changes; disco#info has it as {@code muc#roominfo_avatarhash}.
 * Runs in the room's turn.
 */
final class RoomVcard {

    static final String UPDATE = "vcard-temp:x:update";

    private RoomVcard() {
    }

    static Element answer(Room room, Stanza iq, Element payload, boolean get, int maxBytes) {
        if (get) {
            Element vcard = room.vcard() == null ? DocumentHelper.createElement(QName.get("vCard", Avatar.VCARD))
                    : VcardModule.parse(room.vcard());
            Element result = Stanzas.iqResult(iq.element());
            result.add(vcard);
            return result;
        }
        EntityBareJid user = iq.from().asEntityBareJidIfPossible();
        if (user == null || room.affiliation(user) != Affiliation.OWNER) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "only owners of the room change its vCard"));
        }
        String xml = payload.asXML();
        if (xml.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "a room's vCard may have at most " + maxBytes + " bytes"));
        }
        room.vcard(payload.elements().isEmpty() ? null : xml);
        for (Occupant occupant : room.occupants()) {
            for (Jid session : occupant.sessions()) {
                room.send(presence(room, session));
            }
        }
        return Stanzas.iqResult(iq.element());
    }

    /** The photo's hash (SHA-1 of the image, hex), or "" when the room has no avatar. */
    static String photoHash(String vcard) {
        return vcard == null ? "" : Avatar.ofVcard(VcardModule.parse(vcard)).map(Avatar::id).orElse("");
    }

    /** XEP-0153 §4.1: the room's presence with its photo hash (an empty {@code <photo/>}: no avatar). */
    static Element presence(Room room, Jid to) {
        Element presence = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
        presence.addAttribute("from", room.jid().toString());
        presence.addAttribute("to", to.toString());
        presence.addElement(QName.get("x", UPDATE)).addElement(QName.get("photo", UPDATE)).setText(room.photoHash());
        return presence;
    }
}
