package im.parley.server.modules.serviceadmin;

import static im.parley.server.modules.serviceadmin.AdminForms.FORM_TYPE;
import static im.parley.server.modules.serviceadmin.AdminForms.capitalized;
import static im.parley.server.modules.serviceadmin.AdminForms.list;
import static im.parley.server.modules.serviceadmin.AdminForms.maxItemsForm;
import static im.parley.server.modules.serviceadmin.AdminForms.number;
import static im.parley.server.modules.serviceadmin.AdminForms.parse;
import static im.parley.server.modules.serviceadmin.AdminForms.password;
import static im.parley.server.modules.serviceadmin.AdminForms.required;
import static im.parley.server.modules.serviceadmin.AdminForms.requiredValues;
import static im.parley.server.modules.serviceadmin.AdminForms.text;
import static im.parley.server.modules.serviceadmin.AdminForms.textForm;

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
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The service administration commands of one hosted domain on accounts, sessions and the message
 * of the day (XEP-0133 §4), with the nodes, {@code FORM_TYPE} and field vars the XEP gives, over
 * the same operations as the {@code parley} command ({@link AccountAdmin}).
 */
final class AdminCommands {

    private final AdminForms forms;
    private final AccountAdmin admin;
    private final RosterStore rosters;
    private final RouteTable sessions;
    private final DomainBareJid domain;

    AdminCommands(AdminForms forms, AccountAdmin admin, RosterStore rosters, RouteTable sessions) {
        this.forms = forms;
        this.admin = admin;
        this.rosters = rosters;
        this.sessions = sessions;
        this.domain = forms.domain();
    }

    List<AdHocCommand> all() {
        List<AdHocCommand> commands = new ArrayList<>();
        commands.add(forms.twoStage("add-user", "Add a User", this::addUserForm, this::addUser));
        commands.add(forms.twoStage("delete-user", "Delete a User",
                () -> accountsForm("Deleting a User", "delete"), form -> eachAccount(form, "deleted", admin::delete)));
        commands.add(forms.twoStage("disable-user", "Disable a User", () -> accountsForm("Disabling a User", "disable"),
                form -> eachAccount(form, "disabled", jid -> admin.setDisabled(jid, true))));
        commands.add(forms.twoStage("reenable-user", "Re-Enable a User",
                () -> accountsForm("Re-Enable a User", "re-enable"),
                form -> eachAccount(form, "re-enabled", jid -> admin.setDisabled(jid, false))));
        commands.add(forms.twoStage("end-user-session", "End a User Session",
                () -> accountsForm("Ending a User Session", "end sessions of"), this::endSessions));
        commands.add(forms.twoStage("change-user-password", "Change a User Password", this::passwordForm,
                this::changePassword));
        commands.add(forms.twoStage("get-user-roster", "Get User Roster", this::rosterForm, this::rosters));
        commands.add(forms.twoStage("user-stats", "Get User Statistics", this::statsForm, this::stats));
        commands.add(forms.oneStage("get-registered-users-num", "Get Number of Registered Users",
                () -> number("registeredusersnum", "The number of registered users", admin.list(domain).size())));
        commands.add(forms.oneStage("get-disabled-users-num", "Get Number of Disabled Users",
                () -> number("disabledusersnum", "The number of disabled users", admin.listDisabled(domain).size())));
        commands.add(forms.oneStage("get-online-users-num", "Get Number of Online Users",
                () -> number("onlineusersnum", "The number of online users", admin.listOnline(domain).size())));
        commands.add(forms.twoStage("get-registered-users-list", "Get List of Registered Users",
                () -> maxItemsForm("registered"), form -> list(form, "registereduserjids", "The list of all users",
                        admin.list(domain))));
        commands.add(forms.twoStage("get-disabled-users-list", "Get List of Disabled Users",
                () -> maxItemsForm("disabled"), form -> list(form, "disableduserjids",
                        "The list of all disabled users", admin.listDisabled(domain))));
        commands.add(forms.twoStage("get-online-users-list", "Get List of Online Users",
                () -> maxItemsForm("online"), form -> list(form, "onlineuserjids", "The list of all online users",
                        admin.listOnline(domain))));
        commands.add(forms.twoStage("announce", "Send Announcement to Online Users",
                () -> textForm("Making an Announcement", "Fill out this form to make an announcement to all "
                        + "active users of this service.", "announcement", "Announcement", List.of()),
                this::announce));
        commands.add(forms.twoStage("set-motd", "Set Message of the Day",
                () -> textForm("Setting the Message of the Day", "Fill out this form to set the message of the day.",
                        "motd", "Message of the Day", List.of()),
                form -> setMotd(form, true)));
        commands.add(forms.twoStage("edit-motd", "Edit Message of the Day",
                () -> textForm("Editing the Message of the Day", "Fill out this form to edit the message of the day.",
                        "motd", "Message of the Day", admin.motd(domain).map(AdminForms::lines).orElse(List.of())),
                form -> setMotd(form, false)));
        commands.add(forms.oneStage("delete-motd", "Delete Message of the Day", () -> CommandStage.completed(null,
                admin.deleteMotd(domain) ? "The message of the day was deleted." : "There was no message of the day.")));
        return commands;
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
        EntityBareJid jid = forms.account(required(form, "accountjid"));
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
        EntityBareJid jid = forms.account(required(form, "accountjid"));
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
        List<EntityBareJid> jids = forms.existingAccounts(form, admin::exists);
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
        EntityBareJid jid = forms.account(required(form, "accountjid"));
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
        List<EntityBareJid> jids = forms.accounts(form);
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
}
