package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.modules.disco.ServerInfo;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Registering a nickname with a room (XEP-0045 §7.10, with XEP-0077's {@code jabber:iq:register})
 * and discovering it (§7.12, the {@code x-roomuser-item} node). A registration makes an
 * unaffiliated user a member and reserves the nickname: anyone else entering with it, or taking
 * it by a nick change, gets {@code conflict}. In a members-only room a registration by someone not
 * on its lists waits for an admin's approval ({@link RegistrationApprovals}, §9.9): registering
 * at once would let anyone in. Runs in the room's turn.
 */
final class RoomRegistration {

    static final String REGISTER = "jabber:iq:register";
    static final String FORM_TYPE = MucNamespaces.MUC + "#register";
    static final String ROOMNICK = "muc#register_roomnick";
    /** §7.12: the disco#info node that answers with the asker's registered nickname. */
    static final String RESERVED_NICK_NODE = "x-roomuser-item";

    private static final Namespace REGISTER_NS = Namespace.get(REGISTER);
    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);

    private final int maxPendingRequests;

    /** @param maxPendingRequests most registrations one room keeps waiting for approval (§9.9) */
    RoomRegistration(int maxPendingRequests) {
        this.maxPendingRequests = maxPendingRequests;
    }

    /** The answer to a {@code jabber:iq:register} request to the room. */
    Element answer(Room room, Stanza iq, Element query, boolean get) {
        EntityBareJid user = iq.from().asEntityBareJidIfPossible();
        if (user == null) {
            return RoomRequests.error(iq, StanzaErrorCondition.BAD_REQUEST, "only users register with a room");
        }
        Affiliation affiliation = room.affiliation(user);
        if (affiliation == Affiliation.OUTCAST) {
            // §7.10: "If the user ... is not allowed to register with the room ... not-allowed".
            return RoomRequests.error(iq, StanzaErrorCondition.NOT_ALLOWED, "you are banned from this room");
        }
        if (get) {
            String registered = room.members().registeredNick(user);
            return RoomRequests.result(iq, form(registered != null ? registered : room.members().pendingRegistration(user),
                    registered != null));
        }
        if (query.element(QName.get("remove", REGISTER_NS)) != null) {
            // XEP-0077 §3.2: cancelling the registration gives the nickname up (membership stays), or
            // withdraws a request still waiting for approval.
            room.members().registerNick(user, null);
            room.members().requestRegistration(user, null);
            return Stanzas.iqResult(iq.element());
        }
        return submit(room, iq, user, affiliation, query.element(QName.get("x", DataForm.NAMESPACE)));
    }

    /**
     * §7.10: the form, or for a registered user XEP-0077's {@code <registered/>} with the same
     * form holding the current nickname (so that a client can change it).
     */
    private static Element form(String nick, boolean registered) {
        Element query = DocumentHelper.createElement(QName.get("query", REGISTER_NS));
        if (registered) {
            query.addElement(QName.get("registered", REGISTER_NS));
        }
        DataForm form = DataForm.form(FORM_TYPE, "Register with the room",
                "Choose the nickname reserved for you in this room.");
        form.field(ROOMNICK, "text-single", "Desired nickname", true, nick == null ? List.of() : List.of(nick));
        query.add(form.element());
        return query;
    }

    private Element submit(Room room, Stanza iq, EntityBareJid user, Affiliation affiliation, Element form) {
        if (form == null || !"submit".equals(form.attributeValue("type"))) {
            // §7.10: "If the user did not include a valid data form ... bad-request".
            return RoomRequests.error(iq, StanzaErrorCondition.BAD_REQUEST, "expected the muc#register form");
        }
        String formType = DataForm.value(form, "FORM_TYPE");
        String nick = DataForm.value(form, ROOMNICK);
        if (formType != null && !FORM_TYPE.equals(formType) || nick == null || !isNick(nick.trim())) {
            return RoomRequests.error(iq, StanzaErrorCondition.BAD_REQUEST, "muc#register_roomnick must be a nickname");
        }
        nick = nick.trim();
        if (room.nickTakenFrom(user, nick)) {
            // §7.10: "If the desired room nickname is already reserved for that room ... conflict".
            return RoomRequests.error(iq, StanzaErrorCondition.CONFLICT, "this nickname is taken in the room");
        }
        if (room.config().membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
            return request(room, iq, user, nick);
        }
        register(room, user, nick);
        return Stanzas.iqResult(iq.element());
    }

    /**
     * §7.10 and §9.9: in a members-only room a registration would make the user a member, so it
     * waits for an admin's approval ("the service MAY request that the submission be approved by
     * a room admin/owner"); the user learns that the request was received.
     */
    private Element request(Room room, Stanza iq, EntityBareJid user, String nick) {
        if (room.members().pendingRegistration(user) == null && room.members().pendingRegistrations().size() >= maxPendingRequests) {
            return RoomRequests.error(iq, StanzaErrorCondition.RESOURCE_CONSTRAINT, "the room has "
                    + maxPendingRequests + " registration requests waiting for its admins, the most it keeps");
        }
        room.members().requestRegistration(user, nick);
        RegistrationApprovals.ask(room, user, nick);
        return Stanzas.iqResult(iq.element());
    }

    /**
     * Registers {@code nick} for {@code user}; an unaffiliated user becomes a member (§7.10:
     * "immediately add the user to the member list"), and the occupants see the new affiliation.
     */
    static void register(Room room, EntityBareJid user, String nick) {
        if (room.affiliation(user) == Affiliation.NONE) {
            room.members().affiliate(user, Affiliation.MEMBER);
            for (Occupant occupant : room.occupants()) {
                if (occupant.user().equals(user)) {
                    if (occupant.role() == Role.VISITOR) {
                        occupant.role(Affiliation.MEMBER.defaultRole(room.config().moderated()));
                    }
                    room.broadcastPresence(occupant, List.of());
                }
            }
        }
        room.members().registerNick(user, nick);
    }

    /**
     * §7.12: the asker's registered nickname as the name of a {@code conference/text} identity,
     * or an empty query if it has none.
     */
    Element reservedNick(Room room, Stanza iq) {
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        query.addAttribute("node", RESERVED_NICK_NODE);
        EntityBareJid user = iq.from().asEntityBareJidIfPossible();
        String nick = user == null ? null : room.members().registeredNick(user);
        if (nick != null) {
            query.addElement(QName.get("identity", INFO)).addAttribute("category", "conference")
                    .addAttribute("type", "text").addAttribute("name", nick);
        }
        return RoomRequests.result(iq, query);
    }

    private static boolean isNick(String nick) {
        try {
            return !nick.isEmpty() && Resourcepart.from(nick).toString().equals(nick);
        } catch (XmppStringprepException e) {
            return false;
        }
    }
}
