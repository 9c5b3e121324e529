package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * IQs to an occupant JID (XEP-0045 §6.6, §7.5 for IQs): from another occupant they are relayed
 * to the occupant's session from the sender's occupant JID, and the answer comes back the same
 * way; anyone else gets {@code bad-request} ("If a non-occupant attempts to send a disco request
 * to an address of the form &lt;room@service/nick&gt;, a MUC service MUST return a
 * &lt;bad-request/&gt; error"). Runs in the room's turn.
 */
final class OccupantIqs {

    void handle(Room room, Stanza iq) {
        Occupant sender = room.occupantOf(iq.from());
        Occupant recipient = room.occupant(iq.to().getResourceOrNull().toString());
        boolean request = "get".equals(iq.type()) || "set".equals(iq.type());
        if (sender == null) {
            if (request) {
                RoomMessages.reject(room, iq, StanzaErrorCondition.BAD_REQUEST, "only occupants query occupants");
            }
            return;
        }
        if (recipient == null) {
            if (request) {
                RoomMessages.reject(room, iq, StanzaErrorCondition.ITEM_NOT_FOUND, "no occupant has this nickname");
            }
            return;
        }
        // A request goes to the session the recipient spoke from last; an answer to the session
        // of the occupant that asked (the one whose presence the others see).
        Jid to = recipient.realJid();
        Element relayed = iq.element().createCopy();
        relayed.addAttribute("from", room.occupantJid(sender.nick()).toString());
        relayed.addAttribute("to", to.toString());
        room.send(relayed);
    }
}
