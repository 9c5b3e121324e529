package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.adhoc.DataForm;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Messages to a room that are not for its occupants: mediated invitations and their declines
 * (XEP-0045 §7.8.2), and voice requests to the moderators (§7.13) with their approval (§8.6).
 * Runs in the room's turn.
 */
final class RoomInvitations {

    static final String REQUEST_FORM = "http://jabber.org/protocol/muc#request";

    /** True if the message was one of these (answered or relayed); false if it is something else. */
    boolean handle(Room room, Stanza message) {
        Element x = message.element().element(QName.get("x", MucNamespaces.USER_NS));
        if (x != null && x.element("invite") != null) {
            invite(room, message, x.elements("invite"));
            return true;
        }
        if (x != null && x.element("decline") != null) {
            decline(room, message, x.element("decline"));
            return true;
        }
        Element form = message.element().element(QName.get("x", DataForm.NAMESPACE));
        if (form != null && REQUEST_FORM.equals(DataForm.value(form, "FORM_TYPE"))) {
            if ("submit".equals(form.attributeValue("type")) && DataForm.value(form, "muc#jid") == null) {
                requestVoice(room, message);
            } else {
                approveVoice(room, message, form);
            }
            return true;
        }
        return false;
    }

    /**
     * §7.8.2: the room relays the invitation from itself, naming the inviter; in a members-only
     * room the invitee becomes a member when the inviter is an admin or owner (§9.3).
     */
    private void invite(Room room, Stanza message, List<Element> invites) {
        Occupant inviter = room.occupantOf(message.from());
        if (inviter == null) {
            RoomMessages.reject(room, message, StanzaErrorCondition.NOT_ACCEPTABLE, "only occupants may invite");
            return;
        }
        Affiliation rank = room.affiliation(inviter.user());
        if (!room.config().allowInvites() && inviter.role() != Role.MODERATOR) {
            RoomMessages.reject(room, message, StanzaErrorCondition.FORBIDDEN, "only moderators may invite to this room");
            return;
        }
        for (Element invite : invites) {
            EntityBareJid invitee = bare(invite.attributeValue("to"));
            if (invitee == null) {
                RoomMessages.reject(room, message, StanzaErrorCondition.JID_MALFORMED, "an invitation needs a 'to' JID");
                return;
            }
            if (room.config().membersOnly() && rank.atLeast(Affiliation.ADMIN)
                    && room.affiliation(invitee) == Affiliation.NONE) {
                room.members().affiliate(invitee, Affiliation.MEMBER);
            }
            Element relayed = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
            relayed.addAttribute("from", room.jid().toString()).addAttribute("to", invitee.toString());
            Element x = relayed.addElement(QName.get("x", MucNamespaces.USER_NS));
            Element notice = x.addElement(QName.get("invite", MucNamespaces.USER_NS))
                    .addAttribute("from", message.from().toString());
            copyReason(invite, notice);
            if (room.config().passwordProtected()) {
                x.addElement(QName.get("password", MucNamespaces.USER_NS)).setText(room.config().password());
            }
            room.send(relayed);
        }
    }

    /** §7.8.2: the invitee declines through the room, which tells the inviter. */
    private void decline(Room room, Stanza message, Element decline) {
        Jid inviter = jid(decline.attributeValue("to"));
        if (inviter == null) {
            RoomMessages.reject(room, message, StanzaErrorCondition.JID_MALFORMED, "a decline needs a 'to' JID");
            return;
        }
        Element relayed = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        relayed.addAttribute("from", room.jid().toString()).addAttribute("to", inviter.toString());
        Element notice = relayed.addElement(QName.get("x", MucNamespaces.USER_NS))
                .addElement(QName.get("decline", MucNamespaces.USER_NS))
                .addAttribute("from", message.from().asBareJid().toString());
        copyReason(decline, notice);
        room.send(relayed);
    }

    /** §7.13: a visitor asks for voice; every moderator gets the approval form. */
    private void requestVoice(Room room, Stanza message) {
        Occupant requester = room.occupantOf(message.from());
        if (requester == null) {
            RoomMessages.reject(room, message, StanzaErrorCondition.NOT_ACCEPTABLE, "only occupants may ask for voice");
            return;
        }
        DataForm form = DataForm.form(REQUEST_FORM, "Voice request",
                "To approve this request for voice, select \"Grant voice\" and submit the form.");
        form.field("muc#role", "list-single", "Requested role", false, List.of("participant"));
        form.field("muc#jid", "jid-single", "User ID", false, List.of(requester.realJid().toString()));
        form.field("muc#roomnick", "text-single", "Room Nickname", false, List.of(requester.nick()));
        form.field("muc#request_allow", "boolean", "Grant voice to this person?", false, List.of("false"));
        for (Occupant moderator : room.occupants()) {
            if (moderator.role() == Role.MODERATOR) {
                for (Jid session : moderator.sessions()) {
                    Element relayed = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
                    relayed.addAttribute("from", room.jid().toString()).addAttribute("to", session.toString());
                    relayed.add(form.element().createCopy());
                    room.send(relayed);
                }
            }
        }
    }

    /** §8.6: a moderator submits the approval form; the occupant becomes a participant. */
    private void approveVoice(Room room, Stanza message, Element form) {
        Occupant moderator = room.occupantOf(message.from());
        if (moderator == null || moderator.role() != Role.MODERATOR) {
            RoomMessages.reject(room, message, StanzaErrorCondition.FORBIDDEN, "only moderators approve voice requests");
            return;
        }
        String allow = DataForm.value(form, "muc#request_allow");
        Occupant requester = room.occupant(String.valueOf(DataForm.value(form, "muc#roomnick")));
        if (requester != null && ("true".equals(allow) || "1".equals(allow)) && requester.role() == Role.VISITOR) {
            requester.role(Role.PARTICIPANT);
            room.broadcastPresence(requester, List.of());
        }
    }

    private static void copyReason(Element from, Element to) {
        String reason = from.elementText("reason");
        if (reason != null) {
            to.addElement(QName.get("reason", MucNamespaces.USER_NS)).setText(reason);
        }
    }

    private static EntityBareJid bare(String jid) {
        Jid parsed = jid(jid);
        return parsed == null ? null : parsed.asEntityBareJidIfPossible();
    }

    private static Jid jid(String jid) {
        try {
            return jid == null ? null : Jids.parse(jid);
        } catch (JidMalformedException e) {
            return null;
        }
    }
}
