package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import java.util.List;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * Occupants leaving a room: of their own accord, one session at a time (XEP-0045 §7.14), or
 * because the room bounced a stanza of theirs (status 333); removed with all their sessions by a
 * kick (§8.2) or a ban (§9.1); or because the room is destroyed (§10.9). The occupant's sessions
 * get their unavailable self-presence first, then the others learn that the occupant is gone.
 * Like its {@link Room}, used in the room's turn only.
 */
final class RoomExits {

    private final Room room;
    private final RoomOccupants occupants;
    private final PresenceBroadcast broadcast;
    private final Consumer<Stanza> out;

    RoomExits(Room room, RoomOccupants occupants, PresenceBroadcast broadcast, Consumer<Stanza> out) {
        this.room = room;
        this.occupants = occupants;
        this.broadcast = broadcast;
        this.out = out;
    }

    /** §7.14: a session leaves; the occupant leaves with its last session. */
    void exit(Occupant occupant, Jid session, Element unavailable, List<Integer> codes) {
        out.accept(broadcast.selfPresence(occupant, session, true, unavailable, PresenceBroadcast.withSelf(codes)));
        occupants.removeSession(session);
        if (occupant.leave(session)) {
            occupants.remove(occupant);
            for (Occupant other : occupants.inOrder()) {
                for (Jid to : other.sessions()) {
                    out.accept(broadcast.about(occupant, to, unavailable, true,
                            room.affiliation(occupant.user()), Role.NONE, broadcast.realJidFor(occupant, other),
                            null, codes));
                }
            }
        } else {
            broadcast.broadcast(occupant, List.of());
        }
    }

    /**
     * Removes an occupant with all its sessions (kick §8.2, ban §9.1): each session and every
     * other occupant get its unavailable presence with role none, {@code itemChildren} (actor,
     * reason) in the item and the status codes.
     */
    void remove(Occupant occupant, List<Integer> codes, List<Element> itemChildren) {
        for (Jid session : occupant.sessions()) {
            Stanza presence = broadcast.selfPresence(occupant, session, true, null,
                    PresenceBroadcast.withSelf(codes));
            itemChildren.forEach(child -> item(presence.element()).add(child.createCopy()));
            out.accept(presence);
            occupants.removeSession(session);
        }
        occupants.remove(occupant);
        for (Occupant other : occupants.inOrder()) {
            for (Jid to : other.sessions()) {
                Stanza presence = broadcast.about(occupant, to, null, true,
                        room.affiliation(occupant.user()), Role.NONE, broadcast.realJidFor(occupant, other), null,
                        codes);
                itemChildren.forEach(child -> item(presence.element()).add(child.createCopy()));
                out.accept(presence);
            }
        }
    }

    /** §10.9: the room is destroyed; each session of the occupant learns it, with the alternate venue. */
    void destroyNotice(Occupant occupant, Element destroy) {
        for (Jid session : occupant.sessions()) {
            Stanza presence = broadcast.about(occupant, session, null, true,
                    Affiliation.NONE, Role.NONE, null, null, List.of(OccupantPresence.SELF));
            Element x = presence.element().element(org.dom4j.QName.get("x", MucNamespaces.USER_NS));
            x.elements().add(1, destroy.createCopy());
            out.accept(presence);
            occupants.removeSession(session);
        }
        occupants.remove(occupant);
    }

    private static Element item(Element presence) {
        return presence.element(org.dom4j.QName.get("x", MucNamespaces.USER_NS)).element("item");
    }
}
