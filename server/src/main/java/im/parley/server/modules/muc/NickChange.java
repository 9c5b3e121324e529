package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import java.util.List;
import java.util.function.Consumer;
import org.jxmpp.jid.Jid;

/**
 * An occupant takes another nick (XEP-0045 §7.6): refused if the nick is in use or registered
 * to another user (§7.12), or while the occupant is in the room from several sessions; else
 * every session in the room gets the occupant's unavailable presence with status 303 and the
 * new nick, then its available presence under the new nick. Like its {@link Room}, used in the
 * room's turn only.
 */
final class NickChange {

    private final Room room;
    private final RoomOccupants occupants;
    private final PresenceBroadcast broadcast;
    private final Consumer<Stanza> out;

    NickChange(Room room, RoomOccupants occupants, PresenceBroadcast broadcast, Consumer<Stanza> out) {
        this.room = room;
        this.occupants = occupants;
        this.broadcast = broadcast;
        this.out = out;
    }

    /** §7.6: an occupant takes another nick: unavailable with 303 and the new nick, then available. */
    void change(Stanza presence, Occupant occupant, String newNick) {
        Occupant holder = occupants.byNick(newNick);
        if (room.nickTakenFrom(occupant.user(), newNick)) {
            // §7.6: in use; §7.12: registered to another user.
            RoomMessages.reject(room, presence, StanzaErrorCondition.CONFLICT,
                    "this nickname is in use or registered in the room");
            return;
        }
        if (holder != null || occupant.sessions().size() > 1) {
            RoomMessages.reject(room, presence, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "close your other sessions in the room before changing the nickname");
            return;
        }
        for (Occupant other : occupants.inOrder()) {
            for (Jid to : other.sessions()) {
                boolean self = other == occupant;
                out.accept(broadcast.about(occupant, to, null, true, room.affiliation(occupant.user()),
                        occupant.role(), broadcast.realJidFor(occupant, other), newNick, self
                                ? List.of(OccupantPresence.NEW_NICK, OccupantPresence.SELF)
                                : List.of(OccupantPresence.NEW_NICK)));
            }
        }
        occupants.rename(occupant, newNick, room.addressed(presence, newNick));
        occupant.presence(presence.from(), presence.element());
        broadcast.broadcast(occupant, List.of());
    }
}
