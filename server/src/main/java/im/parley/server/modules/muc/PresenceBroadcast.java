package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * The presences a room sends about its occupants (XEP-0045 §7.2.3): to the others, if the
 * occupant's role is broadcast, and to the occupant's own sessions with status 110; each with
 * the real JID only where the recipient may see it (§7.2.4, §7.2.5) and the occupant id
 * (XEP-0421 §3). Like its {@link Room}, used in the room's turn only.
 */
final class PresenceBroadcast {

    private final Room room;
    private final RoomOccupants occupants;
    private final Consumer<Stanza> out;

    PresenceBroadcast(Room room, RoomOccupants occupants, Consumer<Stanza> out) {
        this.room = room;
        this.occupants = occupants;
        this.out = out;
    }

    /** The occupant's current presence to everyone in the room (its own sessions with status 110). */
    void broadcast(Occupant occupant, List<Integer> codes) {
        toOthers(occupant, codes, null);
        for (Jid session : occupant.sessions()) {
            out.accept(selfPresence(occupant, session, false, null, withSelf(codes)));
        }
    }

    /** To the others, if the occupant's role is broadcast (§7.2.3); {@code except} gets none. */
    void toOthers(Occupant occupant, List<Integer> codes, Jid except) {
        if (!room.config().broadcast().contains(occupant.role())) {
            return;
        }
        for (Occupant other : occupants.inOrder()) {
            if (other == occupant) {
                continue;
            }
            for (Jid to : other.sessions()) {
                if (!to.equals(except)) {
                    out.accept(presenceOf(occupant, to, other.role(), codes));
                }
            }
        }
    }

    /**
     * A presence about the occupant (see {@link OccupantPresence#of}), with its occupant id
     * (XEP-0421 §3), addressed with the JIDs the room already has (none is parsed again).
     */
    Stanza about(Occupant occupant, Jid to, Element source, boolean unavailable, Affiliation affiliation,
                 Role role, Jid realJid, String newNick, List<Integer> codes) {
        Element presence = OccupantPresence.of(occupant.jid(), to, source, unavailable, affiliation, role,
                realJid, newNick, codes);
        OccupantIds.stamp(presence, occupant.occupantId());
        return new Stanza(presence, occupant.jid(), to);
    }

    Stanza presenceOf(Occupant occupant, Jid to, Role recipientRole, List<Integer> codes) {
        Jid realJid = room.config().nonAnonymous() || recipientRole == Role.MODERATOR ? occupant.realJid() : null;
        return about(occupant, to, occupant.presence(), false,
                room.affiliation(occupant.user()), occupant.role(), realJid, null, codes);
    }

    Stanza selfPresence(Occupant occupant, Jid session, boolean unavailable, Element source, List<Integer> codes) {
        Element presence = source != null || unavailable ? source : occupant.presence();
        return about(occupant, session, presence, unavailable,
                room.affiliation(occupant.user()), unavailable ? Role.NONE : occupant.role(), session, null, codes);
    }

    /** §7.2.4/§7.2.5: the real JID in presence to {@code recipient}, if it may see it. */
    Jid realJidFor(Occupant occupant, Occupant recipient) {
        return room.config().nonAnonymous() || recipient == occupant || recipient.role() == Role.MODERATOR
                ? occupant.realJid() : null;
    }

    static List<Integer> withSelf(List<Integer> codes) {
        List<Integer> all = new ArrayList<>(codes);
        all.add(OccupantPresence.SELF);
        return all;
    }
}
