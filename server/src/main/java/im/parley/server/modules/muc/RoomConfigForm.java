package im.parley.server.modules.muc;

import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.modules.muc.RoomConfig.PrivateMessages;
import im.parley.server.modules.muc.RoomConfig.Whois;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;

/**
 * The room configuration form (XEP-0045 §10.2, the {@code muc#roomconfig} FORM_TYPE of §15.5.3):
 * the form an owner gets, and a submitted one read into a {@link RoomConfig}. A field the owner
 * leaves out keeps its value (§10.2: the service applies what was submitted). The room's archive
 * is its log: {@code muc#roomconfig_enablelogging} (§15.5.3, ejabberd's name) sets the same as the
 * form's {@code muc#roomconfig_enablearchiving} (Prosody's), which wins when both are submitted.
 */
final class RoomConfigForm {

    static final String FORM_TYPE = "http://jabber.org/protocol/muc#roomconfig";
    private static final String PREFIX = "muc#roomconfig_";
    static final String HISTORY = "muc#maxhistoryfetch";

    /** A submitted value the service cannot take: answered {@code not-acceptable} with the text. */
    static final class Invalid extends Exception {

        Invalid(String message) {
            super(message);
        }
    }

    private RoomConfigForm() {
    }

    /** §10.2: the form with the room's current values and lists, within the service's limits. */
    static Element form(String room, RoomConfig config, Map<EntityBareJid, Affiliation> affiliations, MucLimits limits) {
        DataForm form = DataForm.form(FORM_TYPE, "Configuration of " + room,
                "Complete this form to change the room's configuration.");
        form.field(PREFIX + "roomname", "text-single", "Room name", false, List.of(config.name()));
        form.field(PREFIX + "roomdesc", "text-single", "Description", false, List.of(config.description()));
        bool(form, "persistentroom", "Keep the room when the last occupant leaves", config.persistent());
        bool(form, "publicroom", "List the room in the service's rooms", config.publicRoom());
        bool(form, "membersonly", "Only members may enter", config.membersOnly());
        bool(form, "moderatedroom", "Only participants with voice may speak", config.moderated());
        bool(form, "passwordprotectedroom", "A password is needed to enter", config.passwordProtected());
        form.field(PREFIX + "roomsecret", "text-private", "Password", false,
                config.password() == null ? List.of() : List.of(config.password()));
        form.listSingle(PREFIX + "whois", "Who may see real JIDs", List.of("moderators", "anyone"),
                config.whois().value());
        form.listSingle(PREFIX + "maxusers", "Most occupants (at most " + limits.maxOccupants() + ")",
                List.of("10", "20", "30", "50", "100", "none"),
                config.maxUsers() == 0 ? "none" : Integer.toString(config.maxUsers()));
        bool(form, "changesubject", "Participants may change the subject", config.changeSubject());
        bool(form, "allowinvites", "Participants may invite others", config.allowInvites());
        form.field(HISTORY, "text-single", "Messages sent to a newcomer (at most " + limits.historyLength() + ")",
                false, List.of(Integer.toString(config.historyLength())));
        List<String> roles = config.broadcast().stream().map(Role::value).toList();
        form.field(PREFIX + "presencebroadcast", "list-multi", "Roles whose presence is broadcast", false, roles);
        Element broadcast = last(form.element());
        for (String role : List.of("moderator", "participant", "visitor")) {
            broadcast.addElement("option", DataForm.NAMESPACE).addAttribute("label", role)
                    .addElement("value", DataForm.NAMESPACE).setText(role);
        }
        form.listSingle(PREFIX + "allowpm", "Who may send private messages",
                List.of("anyone", "participants", "moderators", "none"), config.allowPm().value());
        bool(form, "enablearchiving", "Keep the messages of a persistent room in its archive", config.archiving());
        ConfigFormLists.addTo(form, affiliations);
        return form.element();
    }

    /** Reads a submitted form over {@code current}; fields it lacks keep their values. */
    static RoomConfig read(Element submitted, RoomConfig current, MucLimits limits) throws Invalid {
        String name = text(submitted, PREFIX + "roomname", current.name());
        String description = text(submitted, PREFIX + "roomdesc", current.description());
        boolean persistent = bool(submitted, "persistentroom", current.persistent());
        boolean publicRoom = bool(submitted, "publicroom", current.publicRoom());
        boolean membersOnly = bool(submitted, "membersonly", current.membersOnly());
        boolean moderated = bool(submitted, "moderatedroom", current.moderated());
        boolean passwordProtected = bool(submitted, "passwordprotectedroom", current.passwordProtected());
        String password = text(submitted, PREFIX + "roomsecret", current.password() == null ? "" : current.password());
        if (passwordProtected && password.isEmpty()) {
            throw new Invalid("a password-protected room needs a password (muc#roomconfig_roomsecret)");
        }
        String whoisValue = DataForm.value(submitted, PREFIX + "whois");
        Whois whois = current.whois();
        if (whoisValue != null) {
            whois = switch (whoisValue) {
                case "anyone" -> Whois.ANYONE;
                case "moderators" -> Whois.MODERATORS;
                default -> throw new Invalid("muc#roomconfig_whois is moderators or anyone, not " + whoisValue);
            };
        }
        int maxUsers = maxUsers(DataForm.value(submitted, PREFIX + "maxusers"), current.maxUsers(), limits);
        boolean changeSubject = bool(submitted, "changesubject", current.changeSubject());
        boolean allowInvites = bool(submitted, "allowinvites", current.allowInvites());
        int history = count(DataForm.value(submitted, HISTORY), current.historyLength(), limits.historyLength(),
                HISTORY);
        Set<Role> broadcast = current.broadcast();
        if (present(submitted, PREFIX + "presencebroadcast")) {
            broadcast = EnumSet.noneOf(Role.class);
            for (String value : DataForm.values(submitted, PREFIX + "presencebroadcast")) {
                Role role = Role.parse(value.trim());
                if (role == null || role == Role.NONE) {
                    throw new Invalid("muc#roomconfig_presencebroadcast: not a role: " + value);
                }
                broadcast.add(role);
            }
        }
        PrivateMessages allowPm = current.allowPm();
        String pm = DataForm.value(submitted, PREFIX + "allowpm");
        if (pm != null) {
            allowPm = PrivateMessages.parse(pm);
            if (allowPm == null) {
                throw new Invalid("muc#roomconfig_allowpm is anyone, participants, moderators or none, not " + pm);
            }
        }
        return new RoomConfig(name, description, persistent, publicRoom, membersOnly, moderated, passwordProtected,
                password, whois, maxUsers, changeSubject, allowInvites, history, broadcast, allowPm,
                bool(submitted, "enablearchiving", bool(submitted, "enablelogging", current.archiving())));
    }

    private static void bool(DataForm form, String var, String label, boolean value) {
        form.field(PREFIX + var, "boolean", label, false, List.of(value ? "1" : "0"));
    }

    private static Element last(Element form) {
        List<Element> fields = form.elements("field");
        return fields.get(fields.size() - 1);
    }

    private static boolean present(Element form, String var) {
        return form.elements("field").stream().anyMatch(field -> var.equals(field.attributeValue("var")));
    }

    private static String text(Element form, String var, String current) {
        if (!present(form, var)) {
            return current;
        }
        List<String> values = new ArrayList<>(DataForm.values(form, var));
        return values.isEmpty() ? "" : values.get(0).trim();
    }

    /** XEP-0004 §3.3: a boolean is {@code 0}, {@code 1}, {@code false} or {@code true}. */
    private static boolean bool(Element form, String var, boolean current) throws Invalid {
        String value = DataForm.value(form, PREFIX + var);
        if (value == null) {
            return current;
        }
        return switch (value) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new Invalid(PREFIX + var + " is a boolean, not " + value);
        };
    }

    private static int maxUsers(String value, int current, MucLimits limits) throws Invalid {
        if (value == null) {
            return current;
        }
        if ("none".equals(value) || "0".equals(value)) {
            return 0;
        }
        int max = count(value, current, limits.maxOccupants(), PREFIX + "maxusers");
        if (max == 0) {
            throw new Invalid(PREFIX + "maxusers must be positive or none");
        }
        return max;
    }

    private static int count(String value, int current, int limit, String var) throws Invalid {
        if (value == null) {
            return current;
        }
        int count;
        try {
            count = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Invalid(var + " is a number, not " + value);
        }
        if (count < 0 || count > limit) {
            throw new Invalid(var + " must be between 0 and " + limit + " (the service's limit), not " + value);
        }
        return count;
    }
}
