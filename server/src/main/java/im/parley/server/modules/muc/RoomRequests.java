package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.modules.avatar.Avatar;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.mam.MamModule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * IQ requests to a room's bare JID: its discovery (XEP-0045 §6.4, §6.5), nickname registration
 * (§7.10, §7.12), and the owner's configuration (§10.1, §10.2) and destruction (§10.9). Runs in
 * the room's turn; returns the answer.
 */
final class RoomRequests {

    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace OWNER = Namespace.get(MucNamespaces.OWNER);

    /** What the service does when a room goes: forget it, and delete it if it was stored. */
    interface Destruction {
        void destroyed(Room room);
    }

    private final MucLimits limits;
    private final RoomAdmin admin;
    private final Destruction destruction;
    private final RoomRegistration registration;

    RoomRequests(MucLimits limits, RoomAdmin admin, Destruction destruction) {
        this.limits = limits;
        this.admin = admin;
        this.destruction = destruction;
        this.registration = new RoomRegistration(limits.registrationRequests());
    }

    Element answer(Room room, Stanza iq) {
        Element payload = iq.element().elements().size() == 1 ? iq.element().elements().get(0) : null;
        String ns = payload == null ? "" : payload.getNamespaceURI();
        boolean get = "get".equals(iq.type());
        if (ns.equals(ServerInfo.DISCO_INFO) && get) {
            String node = payload.attributeValue("node");
            return node == null ? info(room, iq) : RoomRegistration.RESERVED_NICK_NODE.equals(node)
                    ? registration.reservedNick(room, iq) : error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        if (ns.equals(Avatar.VCARD) && "vCard".equals(payload.getName())) {
            return RoomVcard.answer(room, iq, payload, get, limits.vcardMaxBytes());
        }
        if (ns.equals(RoomRegistration.REGISTER)) {
            return registration.answer(room, iq, payload, get);
        }
        if (ns.equals(ServerInfo.DISCO_ITEMS) && get) {
            return items(room, iq);
        }
        if (ns.equals(MucNamespaces.OWNER)) {
            return owner(room, iq, payload, get);
        }
        if (ns.equals(MucNamespaces.ADMIN)) {
            return admin.answer(room, iq, payload, get);
        }
        return error(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, null);
    }

    /**
     * §6.4: the identity {@code conference/text} with the room's name, a feature for each of its
     * kinds, and the {@code muc#roominfo} form (XEP-0128) with its description and occupants.
     */
    private Element info(Room room, Stanza iq) {
        RoomConfig config = room.config();
        Element query = org.dom4j.DocumentHelper.createElement(QName.get("query", INFO));
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "conference")
                .addAttribute("type", "text").addAttribute("name", config.name().isEmpty()
                        ? room.jid().getLocalpart().toString() : config.name());
        for (String feature : List.of(MucNamespaces.MUC, ServerInfo.DISCO_INFO, ServerInfo.DISCO_ITEMS,
                MucNamespaces.SID, RoomRegistration.REGISTER, OccupantIds.NS, SelfPing.FEATURE,
                RoomModeration.MODERATE, RoomModeration.LEGACY_MODERATE, Avatar.VCARD,
                config.publicRoom() ? "muc_public" : "muc_hidden",
                config.persistent() ? "muc_persistent" : "muc_temporary",
                config.membersOnly() ? "muc_membersonly" : "muc_open",
                config.moderated() ? "muc_moderated" : "muc_unmoderated",
                config.nonAnonymous() ? "muc_nonanonymous" : "muc_semianonymous",
                config.passwordProtected() ? "muc_passwordprotected" : "muc_unsecured")) {
            query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
        }
        if (config.archived()) {
            // XEP-0313 §7: the room's JID announces the archive it keeps.
            query.addElement(QName.get("feature", INFO)).addAttribute("var", MamModule.NAMESPACE);
        }
        DataForm form = DataForm.result("http://jabber.org/protocol/muc#roominfo");
        form.field("muc#roominfo_description", null, "Description", false, List.of(config.description()));
        form.field("muc#roominfo_occupants", null, "Number of occupants", false,
                List.of(Integer.toString(room.occupantCount())));
        form.field("muc#roominfo_subject", null, "Subject", false,
                List.of(room.subject().text() == null ? "" : room.subject().text()));
        form.field("muc#roomconfig_changesubject", null, "Occupants may change the subject", false,
                List.of(config.changeSubject() ? "1" : "0"));
        if (!room.photoHash().isEmpty()) {
            // XEP-0045 §6.4 (muc#roominfo): the hash of the room's avatar, as in its presence (XEP-0153).
            form.field("muc#roominfo_avatarhash", "text-multi", "Avatar hash", false, List.of(room.photoHash()));
        }
        query.add(form.element());
        return result(iq, query);
    }

    /**
     * §6.5: "An implementation MAY return a list of existing occupants if that information is
     * publicly available, or return no list at all if this information is kept private": a
     * public room lists its occupant JIDs (never real JIDs), a hidden room nothing.
     */
    private static Element items(Room room, Stanza iq) {
        Namespace items = Namespace.get(ServerInfo.DISCO_ITEMS);
        Element query = org.dom4j.DocumentHelper.createElement(QName.get("query", items));
        if (room.config().publicRoom()) {
            for (Occupant occupant : room.occupants()) {
                query.addElement(QName.get("item", items))
                        .addAttribute("jid", room.occupantJid(occupant.nick()).toString());
            }
        }
        return result(iq, query);
    }

    /** §10: only owners configure or destroy a room. */
    private Element owner(Room room, Stanza iq, Element query, boolean get) {
        EntityBareJid requester = iq.from().asEntityBareJidIfPossible();
        if (requester == null || room.affiliation(requester) != Affiliation.OWNER) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, "only owners of the room may configure it");
        }
        if (get) {
            // §10.2: the configuration form with the current values.
            Element answer = org.dom4j.DocumentHelper.createElement(QName.get("query", OWNER));
            answer.add(RoomConfigForm.form(room.jid().toString(), room.config(), room.members().affiliations(), limits));
            return result(iq, answer);
        }
        Element destroy = query.element("destroy");
        if (destroy != null) {
            destroy(room, destroy);
            return Stanzas.iqResult(iq.element());
        }
        Element form = query.element(QName.get("x", Namespace.get(DataForm.NAMESPACE)));
        if (form == null) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "expected a data form or <destroy/>");
        }
        if ("cancel".equals(form.attributeValue("type"))) {
            if (room.locked()) {
                // §10.1.3: "If the room owner cancels the initial configuration, the service MUST destroy the room".
                destroy(room, null);
            }
            return Stanzas.iqResult(iq.element());
        }
        if (!"submit".equals(form.attributeValue("type"))) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "expected a form of type submit or cancel");
        }
        try {
            // §10.1.2: an empty form accepts the defaults (an instant room); §10.1.3/§10.2: the submitted values.
            RoomConfig config = RoomConfigForm.read(form, room.config(), limits);
            Map<EntityBareJid, Affiliation> listChanges = ConfigFormLists.changes(form, room.members().affiliations());
            Map<EntityBareJid, Affiliation> after = new HashMap<>(room.members().affiliations());
            after.putAll(listChanges);
            if (!listChanges.isEmpty() && !after.containsValue(Affiliation.OWNER)) {
                // §10.2: "A service MUST NOT allow an owner to revoke his or her own ownership
                // privileges if there are no other owners"; the configuration is left as it was.
                return error(iq, StanzaErrorCondition.CONFLICT, "a room keeps at least one owner");
            }
            List<Integer> codes = changeCodes(room.config(), config);
            boolean becameMembersOnly = config.membersOnly() && !room.config().membersOnly();
            room.configure(config);
            listChanges.forEach((user, affiliation) -> RoomAdmin.applyAffiliation(room, user, affiliation, null, null));
            if (becameMembersOnly) {
                removeNonMembers(room);
            }
            boolean wasLocked = room.locked();
            room.unlock();
            if (!wasLocked) {
                announceChange(room, codes);
            }
            return Stanzas.iqResult(iq.element());
        } catch (RoomConfigForm.Invalid e) {
            return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, e.getMessage());
        }
    }

    /**
     * §10.2: a room made members-only loses its occupants who are not members, each told with
     * status code 322, as the remaining occupants are.
     */
    private static void removeNonMembers(Room room) {
        for (Occupant occupant : room.occupants()) {
            if (!room.affiliation(occupant.user()).atLeast(Affiliation.MEMBER)) {
                room.remove(occupant, List.of(OccupantPresence.MEMBERS_ONLY), List.of());
            }
        }
    }

    /**
     * §10.2.1: the status codes of a change: 172/173 when the room became non-anonymous or
     * semi-anonymous, 170/171 when its discussions became logged or no longer are (the room's
     * archive: a persistent room with archiving on, {@link RoomConfig#archived}), else 104.
     */
    static List<Integer> changeCodes(RoomConfig before, RoomConfig after) {
        List<Integer> codes = new java.util.ArrayList<>();
        if (after.archived() != before.archived()) {
            codes.add(after.archived() ? OccupantPresence.LOGGED : OccupantPresence.NOT_LOGGED);
        }
        if (after.nonAnonymous() != before.nonAnonymous()) {
            codes.add(after.nonAnonymous() ? 172 : 173);
        }
        return codes.isEmpty() ? List.of(104) : codes;
    }

    /** §10.2.1: occupants learn that the configuration changed, in one message with every code that applies. */
    private static void announceChange(Room room, List<Integer> codes) {
        Element message = org.dom4j.DocumentHelper.createElement(
                QName.get("message", im.parley.core.stream.Namespaces.CLIENT));
        message.addAttribute("type", "groupchat").addAttribute("from", room.jid().toString());
        Element x = message.addElement(QName.get("x", MucNamespaces.USER_NS));
        for (int code : codes) {
            x.addElement(QName.get("status", MucNamespaces.USER_NS)).addAttribute("code", Integer.toString(code));
        }
        RoomMessages.toAll(room, message);
    }

    /** §10.9: every occupant is removed, told of the alternate venue and reason if given. */
    private void destroy(Room room, Element destroy) {
        Element notice = org.dom4j.DocumentHelper.createElement(QName.get("destroy", MucNamespaces.USER_NS));
        if (destroy != null) {
            if (destroy.attributeValue("jid") != null) {
                notice.addAttribute("jid", destroy.attributeValue("jid"));
            }
            String reason = destroy.elementText("reason");
            if (reason != null) {
                notice.addElement(QName.get("reason", MucNamespaces.USER_NS)).setText(reason);
            }
            String password = destroy.elementText("password");
            if (password != null) {
                notice.addElement(QName.get("password", MucNamespaces.USER_NS)).setText(password);
            }
        }
        for (Occupant occupant : room.occupants()) {
            room.destroyNotice(occupant, notice);
        }
        room.destroyed(true);
        destruction.destroyed(room);
    }

    static Element result(Stanza iq, Element query) {
        Element result = Stanzas.iqResult(iq.element());
        result.add(query);
        return result;
    }

    static Element error(Stanza iq, StanzaErrorCondition condition, String text) {
        return Stanzas.errorReply(iq.element(), StanzaError.of(condition, text));
    }
}
