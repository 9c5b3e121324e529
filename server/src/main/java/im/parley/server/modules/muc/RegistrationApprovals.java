package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.adhoc.DataForm;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Approving registration requests (XEP-0045 §9.9): "the service [sends] a message stanza to the
 * room admin(s) when the registration request is received, where the message stanza contains a
 * Data Form asking for approval or denial of the request". The form is the recommended one
 * ({@code muc#register}, with {@code muc#register_roomnick} and {@code muc#register_allow}) and
 * names the requester in {@code muc#jid} (§9.9 lets a service supplement the form), so that an
 * admin's submitted form says whose request it decides. It goes to every admin and owner: to
 * their sessions in the room, or to the bare JID of those not in it (offline storage keeps it for
 * those away). Runs in the room's turn.
 */
final class RegistrationApprovals {

    static final String ALLOW = "muc#register_allow";
    static final String JID = "muc#jid";

    private RegistrationApprovals() {
    }

    /** Sends the approval form for {@code user}'s request to every admin and owner of the room. */
    static void ask(Room room, EntityBareJid user, String nick) {
        DataForm form = DataForm.form(RoomRegistration.FORM_TYPE, "Registration request",
                "To approve this registration request, select \"Allow this person to register with the room?\" and "
                        + "submit the form; submit it unselected to deny the request.");
        form.field(JID, "jid-single", "User ID", false, List.of(user.toString()));
        form.field(RoomRegistration.ROOMNICK, "text-single", "Desired nickname", false, List.of(nick));
        form.field(ALLOW, "boolean", "Allow this person to register with the room?", false, List.of("0"));
        String body = user + " asks to register with " + room.jid() + " as " + nick
                + "; answer the form to approve or deny the request.";
        for (Map.Entry<EntityBareJid, Affiliation> entry : room.members().affiliations().entrySet()) {
            if (entry.getValue().atLeast(Affiliation.ADMIN)) {
                for (Jid to : addresses(room, entry.getKey())) {
                    Element message = message(room, to, body);
                    message.add(form.element().createCopy());
                    room.send(message);
                }
            }
        }
    }

    /** An admin's sessions in the room, as voice requests reach moderators (§7.13); else the bare JID. */
    private static List<Jid> addresses(Room room, EntityBareJid admin) {
        for (Occupant occupant : room.occupants()) {
            if (occupant.user().equals(admin)) {
                return occupant.sessions();
            }
        }
        return List.of(admin);
    }

    /**
     * An admin's or owner's answer, a message to the room with the submitted {@code muc#register}
     * form; false if the message is not one. Approved: the requester is registered (a member
     * with the nickname reserved) and told so; denied: told so; a cancelled form leaves the
     * request waiting.
     */
    static boolean handle(Room room, Stanza message) {
        Element form = message.element().element(QName.get("x", DataForm.NAMESPACE));
        if (form == null || !RoomRegistration.FORM_TYPE.equals(DataForm.value(form, "FORM_TYPE"))) {
            return false;
        }
        EntityBareJid admin = message.from().asEntityBareJidIfPossible();
        if (admin == null || !room.affiliation(admin).atLeast(Affiliation.ADMIN)) {
            RoomMessages.reject(room, message, StanzaErrorCondition.FORBIDDEN,
                    "only admins and owners answer registration requests");
            return true;
        }
        if (!"submit".equals(form.attributeValue("type"))) {
            return true;
        }
        EntityBareJid user = user(DataForm.value(form, JID));
        String nick = user == null ? null : room.members().pendingRegistration(user);
        if (nick == null) {
            RoomMessages.reject(room, message, StanzaErrorCondition.ITEM_NOT_FOUND,
                    "no registration request of " + DataForm.value(form, JID) + " waits for approval");
            return true;
        }
        String allow = DataForm.value(form, ALLOW);
        if (!"1".equals(allow) && !"true".equals(allow)) {
            room.members().requestRegistration(user, null);
            room.send(message(room, user, "Your request to register with " + room.jid() + " as " + nick
                    + " was denied."));
            return true;
        }
        if (room.nickTakenFrom(user, nick)) {
            RoomMessages.reject(room, message, StanzaErrorCondition.CONFLICT, nick
                    + " has been taken since the request; deny it, the user may ask again with another nickname");
            return true;
        }
        RoomRegistration.register(room, user, nick);
        room.members().requestRegistration(user, null);
        room.send(membership(room, user, nick));
        return true;
    }

    /**
     * The requester learns of its membership as §9.3 tells a user who is not in the room ("a
     * message from the room itself ... with an item child with the affiliation"), with a body
     * for clients that show no more.
     */
    private static Element membership(Room room, EntityBareJid user, String nick) {
        Element message = message(room, user, "Your registration with " + room.jid() + " as " + nick
                + " was approved: you are a member of the room.");
        message.addElement(QName.get("x", MucNamespaces.USER_NS)).addElement(QName.get("item", MucNamespaces.USER_NS))
                .addAttribute("affiliation", Affiliation.MEMBER.value()).addAttribute("jid", user.toString())
                .addAttribute("nick", nick).addAttribute("role", Role.NONE.value());
        return message;
    }

    private static Element message(Room room, Jid to, String body) {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("from", room.jid().toString()).addAttribute("to", to.toString())
                .addAttribute("id", UUID.randomUUID().toString());
        message.addElement(QName.get("body", Namespaces.CLIENT)).setText(body);
        return message;
    }

    private static EntityBareJid user(String jid) {
        try {
            return jid == null ? null : Jids.parseEntityBare(jid.trim());
        } catch (JidMalformedException e) {
            return null;
        }
    }
}
