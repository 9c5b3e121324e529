package im.parley.server.modules.muc;

import im.parley.core.stream.Namespaces;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * The presence a room sends about an occupant (XEP-0045 §7.2.3): the occupant's own presence
 * (show, status, capabilities) from its occupant JID, with an {@code <x/>} of
 * {@code muc#user} carrying the item (affiliation, role, the real JID where the recipient may
 * see it) and status codes.
 */
final class OccupantPresence {

    /** §15.5.4 status codes. */
    static final int NON_ANONYMOUS = 100;
    static final int SELF = 110;
    /** §7.2.12, §10.2.1: the room's discussions are logged (its archive); 171: no longer. */
    static final int LOGGED = 170;
    static final int NOT_LOGGED = 171;
    static final int CREATED = 201;
    static final int BANNED = 301;
    static final int NEW_NICK = 303;
    static final int KICKED = 307;
    /** §10.2: removed because the room became members-only. */
    static final int MEMBERS_ONLY = 322;
    static final int REMOVED_BY_ERROR = 333;

    private OccupantPresence() {
    }

    /**
     * An available or unavailable presence of {@code occupant} to {@code to}.
     *
     * @param source the occupant's presence as its client sent it (children are copied), or null for unavailable
     * @param realJid the occupant's real JID if the recipient may see it, else null
     * @param newNick the nick in the item of a nick change (status 303), else null
     */
    static Element of(Jid from, Jid to, Element source, boolean unavailable, Affiliation affiliation, Role role,
                      Jid realJid, String newNick, List<Integer> codes) {
        Element presence = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
        presence.addAttribute("from", from.toString());
        presence.addAttribute("to", to.toString());
        if (unavailable) {
            presence.addAttribute("type", "unavailable");
        }
        if (source != null) {
            for (Element child : source.elements()) {
                String ns = child.getNamespaceURI();
                if (!ns.equals(MucNamespaces.MUC) && !ns.equals(MucNamespaces.USER)
                        && !(unavailable && Namespaces.CLIENT.equals(ns) && !"status".equals(child.getName()))) {
                    presence.add(child.createCopy());
                }
            }
        }
        Element x = presence.addElement(QName.get("x", MucNamespaces.USER_NS));
        Element item = x.addElement(QName.get("item", MucNamespaces.USER_NS))
                .addAttribute("affiliation", affiliation.value()).addAttribute("role", role.value());
        if (realJid != null) {
            item.addAttribute("jid", realJid.toString());
        }
        if (newNick != null) {
            item.addAttribute("nick", newNick);
        }
        for (int code : codes) {
            x.addElement(QName.get("status", MucNamespaces.USER_NS)).addAttribute("code", Integer.toString(code));
        }
        return presence;
    }
}
