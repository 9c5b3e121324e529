package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.modules.adhoc.DataForm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;

/**
 * The room's owners and admins in its configuration form (XEP-0045 §10.2,
 * {@code muc#roomconfig_roomowners} and {@code muc#roomconfig_roomadmins} of §15.5.3): each field
 * is the full list, not a delta (§10.5, the note on the owner list). Someone left out of the
 * owners loses ownership and becomes an admin; someone left out of the admins becomes a member
 * (§10.2: "affiliation set to a value of admin", "of member").
 */
final class ConfigFormLists {

    static final String OWNERS = "muc#roomconfig_roomowners";
    static final String ADMINS = "muc#roomconfig_roomadmins";

    private ConfigFormLists() {
    }

    /** Adds the two lists, as the room has them now, to an owner's form. */
    static void addTo(DataForm form, Map<EntityBareJid, Affiliation> affiliations) {
        form.field(ADMINS, "jid-multi", "Room admins", false, sorted(affiliations, Affiliation.ADMIN));
        form.field(OWNERS, "jid-multi", "Room owners", false, sorted(affiliations, Affiliation.OWNER));
    }

    private static List<String> sorted(Map<EntityBareJid, Affiliation> affiliations, Affiliation affiliation) {
        Set<String> jids = new TreeSet<>();
        affiliations.forEach((jid, a) -> {
            if (a == affiliation) {
                jids.add(jid.toString());
            }
        });
        return List.copyOf(jids);
    }

    /**
     * The affiliation changes a submitted form makes with its lists (none for a list it leaves
     * out), each user to its new affiliation, in the order: owners, then admins.
     *
     * @throws RoomConfigForm.Invalid if a value is no user's JID
     */
    static Map<EntityBareJid, Affiliation> changes(Element submitted, Map<EntityBareJid, Affiliation> current)
            throws RoomConfigForm.Invalid {
        Map<EntityBareJid, Affiliation> changes = new LinkedHashMap<>();
        Set<EntityBareJid> owners = listed(submitted, OWNERS);
        Set<EntityBareJid> admins = listed(submitted, ADMINS);
        if (owners != null) {
            owners.stream().filter(jid -> current.get(jid) != Affiliation.OWNER).forEach(jid -> changes.put(jid, Affiliation.OWNER));
            current.forEach((jid, affiliation) -> {
                if (affiliation == Affiliation.OWNER && !owners.contains(jid)) {
                    changes.put(jid, Affiliation.ADMIN);
                }
            });
        }
        if (admins != null) {
            for (EntityBareJid jid : admins) {
                if (!changes.containsKey(jid) && current.get(jid) != Affiliation.ADMIN
                        && (owners == null ? current.get(jid) != Affiliation.OWNER : !owners.contains(jid))) {
                    changes.put(jid, Affiliation.ADMIN);
                }
            }
            current.forEach((jid, affiliation) -> {
                if (affiliation == Affiliation.ADMIN && !admins.contains(jid) && !changes.containsKey(jid)) {
                    changes.put(jid, Affiliation.MEMBER);
                }
            });
        }
        return changes;
    }

    /** The JIDs of a list field, or null if the form leaves it out. */
    private static Set<EntityBareJid> listed(Element submitted, String var) throws RoomConfigForm.Invalid {
        if (submitted.elements("field").stream().noneMatch(field -> var.equals(field.attributeValue("var")))) {
            return null;
        }
        Set<EntityBareJid> jids = new TreeSet<>();
        for (String value : DataForm.values(submitted, var)) {
            if (value.isBlank()) {
                continue;
            }
            try {
                jids.add(Jids.parseEntityBare(value.trim()));
            } catch (JidMalformedException e) {
                throw new RoomConfigForm.Invalid(var + ": not a user's JID: " + value);
            }
        }
        return jids;
    }
}
