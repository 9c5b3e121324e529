package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Entering a room (XEP-0045 §7.2): the rules that keep a user out (§7.2.6 to §7.2.11, §7.12),
 * then what the newcomer receives, in the order §7.2 requires: the others' presence, its own
 * presence to the others, its self-presence with the room's status codes (§7.2.4, §7.2.12,
 * §10.1.1), the history (§7.2.14) and the subject (§7.2.15). Like its {@link Room}, used in the
 * room's turn only.
 */
final class RoomEntry {

    private final Room room;
    private final RoomOccupants occupants;
    private final PresenceBroadcast broadcast;
    private final RoomBacklog backlog;
    private final MucLimits limits;
    private final OccupantIds occupantIds;
    private final Consumer<Stanza> out;

    RoomEntry(Room room, RoomOccupants occupants, PresenceBroadcast broadcast, RoomBacklog backlog,
              RoomServices services) {
        this.room = room;
        this.occupants = occupants;
        this.broadcast = broadcast;
        this.backlog = backlog;
        this.limits = services.limits();
        this.occupantIds = services.occupantIds();
        this.out = services.out();
    }

    /** §7.2: a user enters, or checks the rules that keep it out. */
    void join(Stanza presence, String nick, boolean created) {
        Jid session = presence.from();
        EntityBareJid user = session.asEntityBareJidIfPossible();
        if (user == null) {
            reject(presence, StanzaErrorCondition.BAD_REQUEST, "only users may enter a room");
            return;
        }
        Affiliation affiliation = room.affiliation(user);
        Element mucX = presence.element().element(org.dom4j.QName.get("x", MucNamespaces.MUC_NS));
        Occupant sameNick = occupants.byNick(nick);
        if (room.locked() && affiliation != Affiliation.OWNER) {
            // §7.2.11: nobody but the owner enters a room that is not yet configured.
            reject(presence, StanzaErrorCondition.ITEM_NOT_FOUND, "the room is locked until its owner configures it");
        } else if (affiliation == Affiliation.OUTCAST) {
            reject(presence, StanzaErrorCondition.FORBIDDEN, "you are banned from this room");                 // §7.2.8
        } else if (room.config().membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
            reject(presence, StanzaErrorCondition.REGISTRATION_REQUIRED, "this room is for members only"); // §7.2.7
        } else if (room.config().passwordProtected() && !room.config().password().equals(password(mucX))) {
            reject(presence, StanzaErrorCondition.NOT_AUTHORIZED, "a password is required to enter this room"); // §7.2.6
        } else if (room.nickTakenFrom(user, nick)) {
            // §7.2.9, §7.12: in use by another occupant, or registered by another user.
            reject(presence, StanzaErrorCondition.CONFLICT, sameNick != null && !sameNick.user().equals(user)
                    ? "this nickname is in use in the room" : "this nickname is registered to another user");
        } else if (sameNick == null && occupants.count() >= maxOccupants() && !affiliation.atLeast(Affiliation.ADMIN)) {
            reject(presence, StanzaErrorCondition.SERVICE_UNAVAILABLE,
                    "the room is full (" + maxOccupants() + " occupants)");                                // §7.2.10
        } else {
            enter(presence, nick, user, affiliation, sameNick, mucX, created);
        }
    }

    private int maxOccupants() {
        int max = room.config().maxUsers();
        return max == 0 ? limits.maxOccupants() : Math.min(max, limits.maxOccupants());
    }

    private static String password(Element mucX) {
        String password = mucX == null ? null : mucX.elementText("password");
        return password == null ? "" : password;
    }

    private void enter(Stanza presence, String nick, EntityBareJid user, Affiliation affiliation, Occupant existing,
                       Element mucX, boolean created) {
        Jid session = presence.from();
        Occupant occupant = existing;
        if (occupant == null) {
            occupant = new Occupant(user, occupantIds.of(room.jid(), user), nick, room.addressed(presence, nick),
                    affiliation.defaultRole(room.config().moderated()));
            occupants.add(occupant);
        }
        occupant.presence(session, presence.element());
        occupants.addSession(session, occupant);
        // §7.2.3: the others' presence first, then the newcomer's to the others, then its self-presence.
        for (Occupant other : occupants.inOrder()) {
            if (other != occupant && room.config().broadcast().contains(other.role())) {
                out.accept(broadcast.presenceOf(other, session, occupant.role(), List.of()));
            }
        }
        if (existing == null) {
            broadcast.toOthers(occupant, List.of(), session);
        }
        List<Integer> codes = new ArrayList<>(List.of(OccupantPresence.SELF));
        if (room.config().nonAnonymous()) {
            codes.add(0, OccupantPresence.NON_ANONYMOUS);                                     // §7.2.4
        }
        if (room.config().archived()) {
            // §7.2.12: "the service ... MUST also warn the user that the discussions are logged":
            // the room's archive keeps them for whoever may read it later (RoomArchive).
            codes.add(OccupantPresence.LOGGED);
        }
        if (created) {
            codes.add(OccupantPresence.CREATED);                                               // §10.1.1
        }
        out.accept(broadcast.selfPresence(occupant, session, false, null, codes));
        backlog.sendHistory(session, HistoryRequest.of(mucX));
        backlog.sendSubject(session, true);
        if (!room.photoHash().isEmpty()) {
            room.send(RoomVcard.presence(room, session));                                 // XEP-0153 §4.1
        }
    }

    private void reject(Stanza stanza, StanzaErrorCondition condition, String text) {
        RoomMessages.reject(room, stanza, condition, text);
    }
}
