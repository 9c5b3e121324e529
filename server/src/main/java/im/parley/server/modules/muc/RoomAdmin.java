package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * The {@code muc#admin} requests of moderators, admins and owners: roles (kick §8.2, voice
 * §8.3/§8.4, moderator §9.6/§9.7) and affiliations (ban §9.1, member §9.3/§9.4, admin
 * §10.6/§10.7, owner §10.3/§10.4), and their lists (§8.5, §9.2, §9.5, §9.8, §10.5, §10.8). Runs in
 * the room's turn.
 */
final class RoomAdmin {

    private static final Namespace ADMIN = Namespace.get(MucNamespaces.ADMIN);
    /** §9.4: removed from a members-only room because the affiliation changed. */
    private static final int AFFILIATION_CHANGED = 321;

    Element answer(Room room, Stanza iq, Element query, boolean get) {
        EntityBareJid requester = iq.from().asEntityBareJidIfPossible();
        Occupant actor = room.occupantOf(iq.from());
        Affiliation rank = requester == null ? Affiliation.NONE : room.affiliation(requester);
        List<Element> items = query.elements(QName.get("item", ADMIN));
        if (items.isEmpty()) {
            return RoomRequests.error(iq, StanzaErrorCondition.BAD_REQUEST, "expected an <item/>");
        }
        if (get) {
            return list(room, iq, items.get(0), rank, actor);
        }
        for (Element item : items) {
            String refused = change(room, item, rank, actor, requester);
            if (refused != null) {
                StanzaErrorCondition condition = refused.startsWith("!")
                        ? StanzaErrorCondition.NOT_ALLOWED : refused.startsWith("?")
                        ? StanzaErrorCondition.BAD_REQUEST : refused.startsWith("=")
                        ? StanzaErrorCondition.CONFLICT : StanzaErrorCondition.FORBIDDEN;
                return RoomRequests.error(iq, condition, refused.substring(1));
            }
        }
        return Stanzas.iqResult(iq.element());
    }

    /** Applies one item; returns null, or the refusal: its first character says the condition. */
    private String change(Room room, Element item, Affiliation rank, Occupant actor, EntityBareJid requester) {
        Role role = Role.parse(item.attributeValue("role"));
        Affiliation affiliation = Affiliation.parse(item.attributeValue("affiliation"));
        String reason = item.elementText("reason");
        if (role != null && item.attributeValue("nick") != null) {
            return changeRole(room, room.occupant(item.attributeValue("nick")), role, rank, actor, reason);
        }
        if (affiliation != null && item.attributeValue("jid") != null) {
            EntityBareJid user;
            try {
                user = Jids.parseEntityBare(item.attributeValue("jid").replaceFirst("/.*$", ""));
            } catch (JidMalformedException e) {
                return "?not a user's JID: " + item.attributeValue("jid");
            }
            return changeAffiliation(room, user, affiliation, rank, actor, requester, reason);
        }
        return "?an item needs a nick and a role, or a jid and an affiliation";
    }

    private String changeRole(Room room, Occupant target, Role role, Affiliation rank, Occupant actor, String reason) {
        boolean moderator = actor != null && actor.role() == Role.MODERATOR || rank.atLeast(Affiliation.ADMIN);
        if (!moderator) {
            return "-only moderators change roles";
        }
        if (target == null) {
            return "?no occupant has this nickname";
        }
        Affiliation targetRank = room.affiliation(target.user());
        if (targetRank.atLeast(Affiliation.ADMIN) && role != Role.MODERATOR
                && (!rank.atLeast(targetRank) || targetRank == Affiliation.OWNER)) {
            // §8.2: "a moderator MUST NOT be able to kick an admin or owner"; §8.4 and §9.7 likewise for
            // voice and the moderator role: not-allowed.
            return "!you may not change the role of an occupant with affiliation " + targetRank.value();
        }
        if ((role == Role.MODERATOR || target.role() == Role.MODERATOR) && !rank.atLeast(Affiliation.ADMIN)) {
            // §9.6/§9.7: granting or revoking the moderator role is for admins.
            return "-only admins grant or revoke the moderator role";
        }
        if (role == Role.NONE) {
            room.remove(target, List.of(OccupantPresence.KICKED), actorAndReason(actor, reason));
        } else {
            target.role(role);
            room.broadcastPresence(target, List.of());
        }
        return null;
    }

    private String changeAffiliation(Room room, EntityBareJid user, Affiliation affiliation, Affiliation rank,
                                     Occupant actor, EntityBareJid requester, String reason) {
        Affiliation current = room.affiliation(user);
        boolean ownerChange = affiliation.atLeast(Affiliation.ADMIN) || current.atLeast(Affiliation.ADMIN);
        if (!rank.atLeast(ownerChange ? Affiliation.OWNER : Affiliation.ADMIN)) {
            return ownerChange ? "-only owners grant or revoke admin and owner" : "-only admins change affiliations";
        }
        if (current == Affiliation.OWNER && affiliation != Affiliation.OWNER
                && room.members().affiliations().values().stream().filter(a -> a == Affiliation.OWNER).count() <= 1) {
            // §10.7: the last owner stays, or nobody could configure the room.
            return "=a room keeps at least one owner";
        }
        room.members().affiliate(user, affiliation);
        for (Occupant occupant : room.occupants()) {
            if (!occupant.user().equals(user)) {
                continue;
            }
            if (affiliation == Affiliation.OUTCAST) {
                room.remove(occupant, List.of(OccupantPresence.BANNED), actorAndReason(actor, reason)); // §9.1
            } else if (room.config().membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
                room.remove(occupant, List.of(AFFILIATION_CHANGED), actorAndReason(actor, reason));      // §9.4
            } else {
                occupant.role(affiliation.defaultRole(room.config().moderated()));
                room.broadcastPresence(occupant, List.of());
            }
        }
        return null;
    }

    private static List<Element> actorAndReason(Occupant actor, String reason) {
        List<Element> children = new ArrayList<>();
        if (actor != null) {
            children.add(DocumentHelper.createElement(QName.get("actor", MucNamespaces.USER_NS))
                    .addAttribute("nick", actor.nick()));
        }
        if (reason != null) {
            Element text = DocumentHelper.createElement(QName.get("reason", MucNamespaces.USER_NS));
            text.setText(reason);
            children.add(text);
        }
        return children;
    }

    /** A list by role (moderators) or by affiliation (admins; owners for the admin and owner lists). */
    private Element list(Room room, Stanza iq, Element item, Affiliation rank, Occupant actor) {
        Element query = DocumentHelper.createElement(QName.get("query", ADMIN));
        Role role = Role.parse(item.attributeValue("role"));
        Affiliation affiliation = Affiliation.parse(item.attributeValue("affiliation"));
        if (role != null) {
            if ((actor == null || actor.role() != Role.MODERATOR) && !rank.atLeast(Affiliation.ADMIN)) {
                return RoomRequests.error(iq, StanzaErrorCondition.FORBIDDEN, "only moderators list roles");
            }
            for (Occupant occupant : room.occupants()) {
                if (occupant.role() == role) {
                    query.addElement(QName.get("item", ADMIN)).addAttribute("nick", occupant.nick())
                            .addAttribute("role", role.value())
                            .addAttribute("affiliation", room.affiliation(occupant.user()).value())
                            .addAttribute("jid", occupant.realJid().toString());
                }
            }
            return RoomRequests.result(iq, query);
        }
        if (affiliation == null || affiliation == Affiliation.NONE) {
            return RoomRequests.error(iq, StanzaErrorCondition.BAD_REQUEST, "list a role or an affiliation");
        }
        if (!rank.atLeast(Affiliation.ADMIN)) {
            return RoomRequests.error(iq, StanzaErrorCondition.FORBIDDEN, "only admins list affiliations");
        }
        for (Map.Entry<EntityBareJid, Affiliation> entry : room.members().affiliations().entrySet()) {
            if (entry.getValue() == affiliation) {
                query.addElement(QName.get("item", ADMIN)).addAttribute("affiliation", affiliation.value())
                        .addAttribute("jid", entry.getKey().toString());
            }
        }
        return RoomRequests.result(iq, query);
    }
}
