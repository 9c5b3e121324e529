package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.ping.PingModule;
import org.dom4j.Element;

/**
 * MUC self-ping (XEP-0410 §3.3, "Server Optimization"): a ping to one's own occupant JID is
 * answered by the room instead of being relayed to one's own clients: "Successful IQ response:
 * the client is joined to the MUC. Error (&lt;not-acceptable&gt;): the client is not joined to the
 * MUC." A ping from an occupant to a nick no occupant has is {@code item-not-found}, what §3.2
 * reads as joined under another nick (another client of a multi-session nick renamed it). Runs
 * in the room's turn.
 */
final class SelfPing {

    /** The feature a room lists in its disco#info (§3.3). */
    static final String FEATURE = MucNamespaces.MUC + "#self-ping-optimization";

    private SelfPing() {
    }

    static boolean isPing(Stanza iq) {
        Element payload = iq.element().elements().size() == 1 ? iq.element().elements().get(0) : null;
        return "get".equals(iq.type()) && payload != null && "ping".equals(payload.getName())
                && PingModule.NAMESPACE.equals(payload.getNamespaceURI());
    }

    /**
     * Answers the ping if it is a self-ping or comes from someone not in the room; false if it is
     * a ping from one occupant to another, relayed as any IQ between occupants (XEP-0045 §6.6).
     */
    static boolean answer(Room room, Stanza ping) {
        Occupant sender = room.occupantOf(ping.from());
        if (sender == null) {
            RoomMessages.reject(room, ping, StanzaErrorCondition.NOT_ACCEPTABLE, "you are not in this room");
            return true;
        }
        if (!sender.nick().equals(ping.to().getResourceOrNull().toString())) {
            return false;
        }
        Element result = Stanzas.iqResult(ping.element());
        result.addAttribute("from", ping.to().toString());
        result.addAttribute("to", ping.from().toString());
        room.send(new Stanza(result, ping.to(), ping.from()));
        return true;
    }
}
