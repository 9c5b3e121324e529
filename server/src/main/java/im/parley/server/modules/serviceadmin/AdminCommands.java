package im.parley.server.modules.serviceadmin;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.admin.AccountAdmin;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandException;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.modules.roster.RosterItemXml;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.RosterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The service administration commands of one hosted domain (XEP-0133 §4), with the nodes,
 * {@code FORM_TYPE} and field vars the XEP gives, over the same operations as the {@code parley}
 * command ({@link AccountAdmin}). A JID submitted must be of this domain: a domain's commands
 * administer that domain (§3).
 */
final class AdminCommands {

    static final String FORM_TYPE = "http://jabber.org/protocol/admin";
    /** XEP-0133 §4.18: the choices of {@code max_items}. */
    static final List<String> MAX_ITEMS = List.of("25", "50", "75", "100", "150", "200", "none");

    private final AccountAdmin admin;
    private final RosterStore rosters;
    private final RouteTable sessions;
    private final DomainBareJid domain;
    private final Predicate<Jid> admins;
    private final Executor blocking;

    AdminCommands(AccountAdmin admin, RosterStore rosters, RouteTable sessions, DomainBareJid domain,
                  Predicate<Jid> admins, Executor blocking) {
        this.admin = admin;
        this.rosters = rosters;
        this.sessions = sessions;
        this.domain = domain;
        this.admins = admins;
        this.blocking = blocking;
    }

    List<AdHocCommand> all() {
        List<AdHocCommand> commands = new ArrayList<>();
        commands.add(twoStage("add-user", "Add a User", this::addUserForm, this::addUser));
        commands.add(twoStage("delete-user", "Delete a User",
                () -> accountsForm("Deleting a User", "delete"), form -> eachAccount(form, "deleted", admin::delete)));
        commands.add(twoStage("disable-user", "Disable a User", () -> accountsForm("Disabling a User", "disable"),
                form -> eachAccount(form, "disabled", jid -> admin.setDisabled(jid, true))));
        commands.add(twoStage("reenable-user", "Re-Enable a User", () -> accountsForm("Re-Enable a User", "re-enable"),
                form -> eachAccount(form, "re-enabled", jid -> admin.setDisabled(jid, false))));
        commands.add(twoStage("end-user-session", "End a User Session",
                () -> accountsForm("Ending a User Session", "end sessions of"), this::endSessions));
        commands.add(twoStage("change-user-password", "Change a User Password", this::passwordForm,
                this::changePassword));
        commands.add(twoStage("get-user-roster", "Get User Roster", this::rosterForm, this::rosters));
        commands.add(twoStage("user-stats", "Get User Statistics", this::statsForm, this::stats));
        commands.add(oneStage("get-registered-users-num", "Get Number of Registered Users",
                () -> number("registeredusersnum", "The number of registered users", admin.list(domain).size())));
        commands.add(oneStage("get-disabled-users-num", "Get Number of Disabled Users",
                () -> number("disabledusersnum", "The number of disabled users", admin.listDisabled(domain).size())));
        commands.add(oneStage("get-online-users-num", "Get Number of Online Users",
                () -> number("onlineusersnum", "The number of online users", admin.listOnline(domain).size())));
        commands.add(twoStage("get-registered-users-list", "Get List of Registered Users",
                () -> maxItemsForm("registered"), form -> list(form, "registereduserjids", "The list of all users",
                        admin.list(domain))));
        commands.add(twoStage("get-disabled-users-list", "Get List of Disabled Users",
                () -> maxItemsForm("disabled"), form -> list(form, "disableduserjids",
                        "The list of all disabled users", admin.listDisabled(domain))));
        commands.add(twoStage("get-online-users-list", "Get List of Online Users",
                () -> maxItemsForm("online"), form -> list(form, "onlineuserjids", "The list of all online users",
                        admin.listOnline(domain))));
        commands.add(twoStage("announce", "Send Announcement to Online Users",
                () -> textForm("Making an Announcement", "Fill out this form to make an announcement to all "
                        + "active users of this service.", "announcement", "Announcement", List.of()),
                this::announce));
        commands.add(twoStage("set-motd", "Set Message of the Day",
                () -> textForm("Setting the Message of the Day", "Fill out this form to set the message of the day.",
                        "motd", "Message of the Day", List.of()),
                form -> setMotd(form, true)));
        commands.add(twoStage("edit-motd", "Edit Message of the Day",
                () -> textForm("Editing the Message of the Day", "Fill out this form to edit the message of the day.",
                        "motd", "Message of the Day", admin.motd(domain).map(AdminCommands::lines).orElse(List.of())),
                form -> setMotd(form, false)));
        commands.add(oneStage("delete-motd", "Delete Message of the Day", () -> CommandStage.completed(null,
                admin.deleteMotd(domain) ? "The message of the day was deleted." : "There was no message of the day.")));
        return commands;
    }

    private AdHocCommand twoStage(String useCase, String name, java.util.function.Supplier<Element> form,
                                  Function<Element, CommandStage> operation) {
        return new FormCommand(useCase, name, admins, blocking, form, operation);
    }

    private AdHocCommand oneStage(String useCase, String name, java.util.function.Supplier<CommandStage> operation) {
        return new FormCommand(useCase, name, admins, blocking, null, form -> operation.get());
    }

    /** §4.1. */
    private Element addUserForm() {
        return DataForm.form(FORM_TYPE, "Adding a User", "Fill out this form to add a user.")
                .field("accountjid", "jid-single", "The Jabber ID for the account to be added", true, List.of())
                .field("password", "text-private", "The password for this account", true, List.of())
                .field("password-verify", "text-private", "Retype password", true, List.of())
                .element();
    }

    private CommandStage addUser(Element form) {
        EntityBareJid jid = account(required(form, "accountjid"));
        String password = password(form, "password");
        String verify = DataForm.values(form, "password-verify").stream().findFirst().orElse(null);
        if (verify != null && !verify.equals(password)) {
            throw CommandException.badPayload("the passwords do not match");
        }
        try {
            admin.create(jid, password);
        } catch (AccountExistsException e) {
            // §5: conflict, "a user already exists with that username".
            throw new CommandException(StanzaErrorCondition.CONFLICT, null, jid + " exists");
        } catch (IllegalArgumentException e) {
            throw CommandException.badPayload(e.getMessage());
        }
        return CommandStage.completed(null, "Created " + jid + ".");
    }

    /** §4.7. */
    private Element passwordForm() {
        return DataForm.form(FORM_TYPE, "Changing a User Password", "Fill out this form to change a user's password.")
                .field("accountjid", "jid-single", "The Jabber ID for this account", true, List.of())
                .field("password", "text-private", "The password for this account", true, List.of())
                .element();
    }

    private CommandStage changePassword(Element form) {
        EntityBareJid jid = account(required(form, "accountjid"));
        try {
            admin.changePassword(jid, password(form, "password"));
        } catch (NoSuchAccountException e) {
            throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null, "no account " + jid);
        } catch (IllegalArgumentException e) {
            throw CommandException.badPayload(e.getMessage());
        }
        return CommandStage.completed(null, "Changed the password of " + jid + "; its sessions ended.");
    }

    /** §4.8. */
    private Element rosterForm() {
        return DataForm.form(FORM_TYPE, "Getting a User's Roster", "Fill out this form to get a user's roster.")
                .field("accountjids", "jid-multi", "The Jabber ID(s) for which to retrieve the roster", true, List.of())
                .element();
    }

    /**
     * §4.8: the result names the accounts and holds their rosters as {@code jabber:iq:roster}
     * queries (RFC 6121 §2.1), one per account in the order of {@code accountjids}.
     */
    private CommandStage rosters(Element form) {
        List<EntityBareJid> jids = accounts(form);
        List<String> missing = jids.stream().filter(jid -> !admin.exists(jid)).map(EntityBareJid::toString).toList();
        if (!missing.isEmpty()) {
            throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null,
                    "no such account: " + String.join(", ", missing));
        }
        Element result = DataForm.result(FORM_TYPE)
                .field("accountjids", "jid-multi", null, false, jids.stream().map(EntityBareJid::toString).toList())
                .element();
        for (EntityBareJid jid : jids) {
            Element query = RosterItemXml.query();
            for (RosterItem item : rosters.roster(jid).items()) {
                RosterItemXml.addItem(query, item.contact(), Optional.of(item));
            }
            result.add(query);
        }
        return CommandStage.completed(result, null);
    }

    /** §4.10. */
    private Element statsForm() {
        return DataForm.form(FORM_TYPE, "Get User Statistics", "Fill out this form to gather user statistics.")
                .field("accountjid", "jid-single", "The Jabber ID for statistics", true, List.of())
                .element();
    }

    /**
     * §4.10: what the server knows of an account's use: its roster's size and the resources of
     * its sessions now (it keeps no addresses, rates or login counts per account).
     */
    private CommandStage stats(Element form) {
        EntityBareJid jid = account(required(form, "accountjid"));
        if (!admin.exists(jid)) {
            throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null, "no account " + jid);
        }
        List<String> resources = sessions.sessionsOf(jid).stream()
                .map(session -> session.jid().getResourceOrEmpty().toString()).sorted().toList();
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field("accountjid", "jid-single", null, false, List.of(jid.toString()))
                .field("rostersize", null, "Roster size", false, List.of(Integer.toString(rosters.roster(jid).items().size())))
                .field("onlineresources", "text-multi", "Online resources", false, resources)
                .element(), null);
    }

    /** §4.2-§4.5: one {@code accountjids} field. */
    private Element accountsForm(String title, String verb) {
        return DataForm.form(FORM_TYPE, title, "Fill out this form to " + verb + " one or more users.")
                .field("accountjids", "jid-multi", "The Jabber ID(s) to " + verb, true, List.of())
                .element();
    }

    @FunctionalInterface
    private interface AccountOperation {
        void apply(EntityBareJid jid) throws NoSuchAccountException;
    }

    /**
     * Runs the operation on each submitted account; accounts that do not exist are named in an
     * error note (XEP-0050 §3.6), the others are done.
     */
    private CommandStage eachAccount(Element form, String done, AccountOperation operation) {
        List<EntityBareJid> jids = accounts(form);
        List<String> missing = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (EntityBareJid jid : jids) {
            try {
                operation.apply(jid);
                changed.add(jid.toString());
            } catch (NoSuchAccountException e) {
                missing.add(jid.toString());
            }
        }
        if (!missing.isEmpty()) {
            return CommandStage.failed("No such account: " + String.join(", ", missing)
                    + (changed.isEmpty() ? "." : "; " + done + " " + String.join(", ", changed) + "."));
        }
        return CommandStage.completed(null, capitalized(done) + " " + String.join(", ", changed) + ".");
    }

    /** §4.5: a bare JID ends all of the user's sessions, a full JID only that one. */
    private CommandStage endSessions(Element form) {
        int ended = 0;
        List<Jid> jids = new ArrayList<>();
        for (String text : requiredValues(form, "accountjids")) {
            Jid jid = parse(text);
            if (!jid.hasLocalpart() || !domain.equals(jid.asDomainBareJid())) {
                throw CommandException.badPayload(text + " is not a user of " + domain);
            }
            jids.add(jid);
        }
        for (Jid jid : jids) {
            ended += admin.endSessions(jid);
        }
        return CommandStage.completed(null, "Ended " + ended + (ended == 1 ? " session." : " sessions."));
    }

    private CommandStage number(String var, String label, int number) {
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field(var, null, label, false, List.of(Integer.toString(number))).element(), null);
    }

    /** §4.18-§4.20: how many JIDs to list at most. */
    private Element maxItemsForm(String which) {
        return DataForm.form(FORM_TYPE, "Requesting List of " + capitalized(which) + " Users",
                        "Fill out this form to request the " + which + " users of this service.")
                .listSingle("max_items", "Maximum number of items to show", MAX_ITEMS, "25")
                .element();
    }

    private CommandStage list(Element form, String var, String label, List<EntityBareJid> jids) {
        String max = DataForm.value(form, "max_items");
        int limit;
        if (max == null || "none".equals(max)) {
            limit = Integer.MAX_VALUE;
        } else {
            try {
                limit = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw CommandException.badPayload("max_items must be a number or none");
            }
            if (limit < 1) {
                throw CommandException.badPayload("max_items must be positive");
            }
        }
        List<String> listed = jids.stream().limit(limit).map(EntityBareJid::toString).toList();
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field(var, "jid-multi", label, false, listed).element(),
                listed.size() < jids.size() ? "The first " + listed.size() + " of " + jids.size() + "." : null);
    }

    private static Element textForm(String title, String instructions, String var, String label, List<String> value) {
        return DataForm.form(FORM_TYPE, title, instructions).field(var, "text-multi", label, true, value).element();
    }

    /** §4.23: to every online session of this domain. */
    private CommandStage announce(Element form) {
        int sent = admin.announce(domain, text(form, "announcement"));
        return CommandStage.completed(null, "Sent to " + sent + (sent == 1 ? " session." : " sessions."));
    }

    /** §4.24 (set: also to the users online now) and §4.25 (edit). */
    private CommandStage setMotd(Element form, boolean sendNow) {
        admin.setMotd(domain, text(form, "motd"), sendNow);
        return CommandStage.completed(null, "The message of the day is set; users get it once, at their next login"
                + (sendNow ? ", and the available ones got it now." : "."));
    }

    /** A {@code text-multi} value: its lines (XEP-0004 §3.3: one {@code <value/>} each). */
    private static String text(Element form, String var) {
        String text = String.join("\n", DataForm.values(form, var)).strip();
        if (text.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return text;
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** The {@code accountjids} submitted: bare JIDs of this domain, at least one. */
    private List<EntityBareJid> accounts(Element form) {
        List<EntityBareJid> jids = new ArrayList<>();
        for (String text : requiredValues(form, "accountjids")) {
            jids.add(account(text));
        }
        return jids;
    }

    /**
     * The account a submitted JID names: a user's bare JID, or its full JID, of which the bare part
     * counts (XEP-0133 §4.2: the JIDs SHOULD be bare; a client may send one with its resource).
     */
    private EntityBareJid account(String text) {
        EntityBareJid jid;
        try {
            jid = Jids.parse(text).asEntityBareJidIfPossible();
        } catch (JidMalformedException e) {
            jid = null;
        }
        if (jid == null) {
            throw CommandException.badPayload(text + " is not a user's JID (user@domain)");
        }
        if (!domain.equals(jid.asDomainBareJid())) {
            throw CommandException.badPayload(text + " is not a user of " + domain);
        }
        return jid;
    }

    private static Jid parse(String text) {
        try {
            return Jids.parse(text);
        } catch (JidMalformedException e) {
            throw CommandException.badPayload(text + " is not a JID");
        }
    }

    private static String required(Element form, String var) {
        String value = DataForm.value(form, var);
        if (value == null) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return value;
    }

    /** A password as submitted: not trimmed, spaces may be part of it. */
    private static String password(Element form, String var) {
        String password = DataForm.values(form, var).stream().findFirst().orElse("");
        if (password.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return password;
    }

    private static List<String> requiredValues(Element form, String var) {
        List<String> values = DataForm.values(form, var).stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return values;
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
