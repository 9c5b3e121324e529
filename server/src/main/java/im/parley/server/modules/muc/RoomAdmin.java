package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.ArrayList;
import java.util.HashMap;
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
        // Every item is checked before any is applied: a request is refused whole (the XEP's error
        // examples answer the request, not an item of it).
        Map<EntityBareJid, Affiliation> pending = new HashMap<>();
        for (Element item : items) {
            String refused = change(room, item, rank, actor, requester, pending, false);
            if (refused != null) {
                StanzaErrorCondition condition = refused.startsWith("!")
                        ? StanzaErrorCondition.NOT_ALLOWED : refused.startsWith("?")
                        ? StanzaErrorCondition.BAD_REQUEST : refused.startsWith("=")
                        ? StanzaErrorCondition.CONFLICT : StanzaErrorCondition.FORBIDDEN;
                return RoomRequests.error(iq, condition, refused.substring(1));
            }
        }
        for (Element item : items) {
            change(room, item, rank, actor, requester, pending, true);
        }
        return Stanzas.iqResult(iq.element());
    }

    /**
     * Checks one item (noting an affiliation it changes in {@code pending}, for the items after
     * it), or applies it; returns null, or the refusal: its first character says the condition.
     */
    private String change(Room room, Element item, Affiliation rank, Occupant actor, EntityBareJid requester,
                          Map<EntityBareJid, Affiliation> pending, boolean apply) {
        Role role = Role.parse(item.attributeValue("role"));
        Affiliation affiliation = Affiliation.parse(item.attributeValue("affiliation"));
        String reason = item.elementText("reason");
        if (role != null && item.attributeValue("nick") != null) {
            Occupant target = room.occupant(item.attributeValue("nick"));
            if (apply) {
                applyRole(room, target, role, actor, reason);
                return null;
            }
            return roleRefusal(room, target, role, rank, actor);
        }
        if (affiliation != null && item.attributeValue("jid") != null) {
            EntityBareJid user;
            try {
                user = Jids.parseEntityBare(item.attributeValue("jid").replaceFirst("/.*$", ""));
            } catch (JidMalformedException e) {
                return "?not a user's JID: " + item.attributeValue("jid");
            }
            if (apply) {
                applyAffiliation(room, user, affiliation, actor, reason);
                return null;
            }
            String refused = affiliationRefusal(room, user, affiliation, rank, requester, pending);
            if (refused == null) {
                pending.put(user, affiliation);
            }
            return refused;
        }
        return "?an item needs a nick and a role, or a jid and an affiliation";
    }

    private static String roleRefusal(Room room, Occupant target, Role role, Affiliation rank, Occupant actor) {
        boolean moderator = actor != null && actor.role() == Role.MODERATOR || rank.atLeast(Affiliation.ADMIN);
        if (!moderator) {
            return "-only moderators change roles";
        }
        if (target == null) {
            return "?no occupant has this nickname";
        }
        Affiliation targetRank = room.affiliation(target.user());
        if (targetRank.atLeast(Affiliation.ADMIN) && (role == Role.PARTICIPANT || role == Role.VISITOR)) {
            // §8.4: "a service MUST NOT allow the voice privileges of an admin or owner to be removed by
            // anyone"; §9.7/§9.8: moderator privileges cannot be revoked from an owner or admin.
            return "!the role of an occupant with affiliation " + targetRank.value() + " stays moderator";
        }
        if (targetRank.atLeast(Affiliation.ADMIN) && role == Role.NONE
                && (!rank.atLeast(targetRank) || targetRank == Affiliation.OWNER)) {
            // §8.2: "a moderator MUST NOT be able to kick an admin or owner": not-allowed.
            return "!you may not kick an occupant with affiliation " + targetRank.value();
        }
        if ((role == Role.MODERATOR || target.role() == Role.MODERATOR) && !rank.atLeast(Affiliation.ADMIN)) {
            // §9.6/§9.7: granting or revoking the moderator role is for admins.
            return "-only admins grant or revoke the moderator role";
        }
        return null;
    }

    private static void applyRole(Room room, Occupant target, Role role, Occupant actor, String reason) {
        if (target == null || room.occupant(target.nick()) != target) {
            return;  // kicked or banned by an item before this one
        }
        if (role == Role.NONE) {
            room.remove(target, List.of(OccupantPresence.KICKED), actorAndReason(actor, reason));
        } else {
            target.role(role);
            room.broadcastPresence(target, List.of());
        }
    }

    private static String affiliationRefusal(Room room, EntityBareJid user, Affiliation affiliation, Affiliation rank,
                                             EntityBareJid requester, Map<EntityBareJid, Affiliation> pending) {
        Affiliation current = pending.getOrDefault(user, room.affiliation(user));
        if (!rank.atLeast(Affiliation.ADMIN)) {
            return "-only admins change affiliations";
        }
        if (affiliation == Affiliation.OUTCAST && user.equals(requester)) {
            // §9.1: "If an admin or owner attempts to ban himself, the service MUST deny the request and
            // return a <conflict/> error".
            return "=you may not ban yourself";
        }
        if (affiliation == Affiliation.OUTCAST && !rank.atLeast(current)) {
            // §9.1: "a user cannot be banned by an admin with a lower affiliation": an admin who bans an
            // owner gets not-allowed.
            return "!you may not ban a user with affiliation " + current.value();
        }
        boolean ownerChange = affiliation.atLeast(Affiliation.ADMIN) || current.atLeast(Affiliation.ADMIN);
        if (ownerChange && !rank.atLeast(Affiliation.OWNER)) {
            return "-only owners grant or revoke admin and owner";
        }
        if (current == Affiliation.OWNER && affiliation != Affiliation.OWNER) {
            Map<EntityBareJid, Affiliation> after = new HashMap<>(room.members().affiliations());
            after.putAll(pending);
            after.put(user, affiliation);
            if (after.values().stream().noneMatch(a -> a == Affiliation.OWNER)) {
                // §10.7: the last owner stays, or nobody could configure the room.
                return "=a room keeps at least one owner";
            }
        }
        return null;
    }

    /**
     * Sets {@code user}'s affiliation and tells the occupants: a banned occupant is removed (301),
     * so is one who is no member of a members-only room any more (321); another gets the role of
     * its new affiliation. {@code actor} and {@code reason} may be null.
     */
    static void applyAffiliation(Room room, EntityBareJid user, Affiliation affiliation, Occupant actor,
                                 String reason) {
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

    /** A list by role (moderators) or by affiliation (admins; owners only for the admin and owner lists, §10.5, §10.8). */
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
        if (membersSeeEachOther(room, rank, affiliation)) {
            return listAffiliation(room, iq, affiliation);
        }
        if (!rank.atLeast(Affiliation.ADMIN)) {
            return RoomRequests.error(iq, StanzaErrorCondition.FORBIDDEN, "only admins list affiliations");
        }
        if (affiliation.atLeast(Affiliation.ADMIN) && !rank.atLeast(Affiliation.OWNER)) {
            // §10.5, §10.8: "If a non-owner attempts to view or modify the owner list" (the admin list
            // likewise), "the service MUST deny the request and return a <forbidden/> error".
            return RoomRequests.error(iq, StanzaErrorCondition.FORBIDDEN, "only owners list the admins and owners");
        }
        return listAffiliation(room, iq, affiliation);
    }

    /**
     * In a private group chat, a members-only room where everyone sees everyone's real JID
     * (§4.2 non-anonymous), its members may read who else belongs to it: the member, admin and
     * owner lists (the §9.5 member list, "a 'whitelist' of people who are allowed to enter the
     * room"). Clients need them to encrypt for every participant, present or not (OMEMO in
     * Conversations and Dino's private groups), and Prosody and ejabberd answer them. The ban
     * list stays the admins' (§9.2).
     */
    private static boolean membersSeeEachOther(Room room, Affiliation rank, Affiliation listed) {
        return room.config().membersOnly() && room.config().nonAnonymous() && rank.atLeast(Affiliation.MEMBER)
                && listed.atLeast(Affiliation.MEMBER);
    }

    private static Element listAffiliation(Room room, Stanza iq, Affiliation affiliation) {
        Element query = DocumentHelper.createElement(QName.get("query", ADMIN));
        // The occupants by user, once per list, not a walk of the occupants per listed user.
        Map<EntityBareJid, Occupant> present = new HashMap<>();
        for (Occupant occupant : room.occupants()) {
            present.putIfAbsent(occupant.user(), occupant);
        }
        for (Map.Entry<EntityBareJid, Affiliation> entry : room.members().affiliations().entrySet()) {
            if (entry.getValue() == affiliation) {
                listed(query.addElement(QName.get("item", ADMIN)), room, entry.getKey(), affiliation,
                        present.get(entry.getKey()));
            }
        }
        return RoomRequests.result(iq, query);
    }

    /**
     * An item of an affiliation list: the affiliation and the bare JID, with the nickname the user
     * registered (§7.10) or, if not, the one it is in the room with, and its role while it is an
     * occupant ({@code present}, else null; §9.5: each item "MAY include the 'nick' and 'role'
     * attributes for each member that is currently an occupant"; Example 107 shows the registered
     * nick).
     */
    private static void listed(Element item, Room room, EntityBareJid user, Affiliation affiliation, Occupant present) {
        item.addAttribute("affiliation", affiliation.value()).addAttribute("jid", user.toString());
        String nick = room.members().registeredNick(user);
        if (nick == null && present != null) {
            nick = present.nick();
        }
        if (nick != null) {
            item.addAttribute("nick", nick);
        }
        if (present != null) {
            item.addAttribute("role", present.role().value());
        }
    }
}
