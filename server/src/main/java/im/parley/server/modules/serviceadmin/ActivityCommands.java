package im.parley.server.modules.serviceadmin;

import static im.parley.server.modules.serviceadmin.AdminForms.FORM_TYPE;
import static im.parley.server.modules.serviceadmin.AdminForms.list;
import static im.parley.server.modules.serviceadmin.AdminForms.maxItemsForm;
import static im.parley.server.modules.serviceadmin.AdminForms.number;

import im.parley.server.admin.AccountAdmin;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.storage.LastActivityStore;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The service administration commands on when and how users use the service: a user's last
 * login (XEP-0133 §4.9), the numbers (§4.16, §4.17) and lists (§4.21, §4.22) of active and idle
 * users, as {@link OnlineActivity} tells them apart.
 */
final class ActivityCommands {

    /** The {@code lastlogin} of an account whose login was never recorded. */
    static final String NO_LOGIN = "none recorded";

    private final AdminForms forms;
    private final AccountAdmin admin;
    private final LastActivityStore logins;
    private final OnlineActivity activity;
    private final DomainBareJid domain;

    ActivityCommands(AdminForms forms, AccountAdmin admin, LastActivityStore logins, OnlineActivity activity) {
        this.forms = forms;
        this.admin = admin;
        this.logins = logins;
        this.activity = activity;
        this.domain = forms.domain();
    }

    List<AdHocCommand> all() {
        return List.of(
                forms.twoStage("get-user-lastlogin", "Get User Last Login Time", ActivityCommands::lastLoginForm,
                        this::lastLogins),
                forms.oneStage("get-active-users-num", "Get Number of Active Users",
                        () -> number("activeusersnum", "The number of active users", activity.of(domain).active().size())),
                forms.oneStage("get-idle-users-num", "Get Number of Idle Users",
                        () -> number("idleusersnum", "The number of idle users", activity.of(domain).idle().size())),
                forms.twoStage("get-active-users", "Get List of Active Users", () -> maxItemsForm("active"),
                        form -> list(form, "activeuserjids", "The list of active users", activity.of(domain).active())),
                // §4.22's example names the field of idle users activeuserjids too, and the XEP's
                // registry (§8.2) has no other: the var of the XEP, with the label of idle users.
                forms.twoStage("get-idle-users", "Get List of Idle Users", () -> maxItemsForm("idle"),
                        form -> list(form, "activeuserjids", "The list of idle users", activity.of(domain).idle())));
    }

    /** §4.9. */
    private static Element lastLoginForm() {
        return DataForm.form(FORM_TYPE, "Getting a User's Last Login Time",
                        "Fill out this form to get a user's last login time.")
                .field("accountjids", "jid-multi", "The Jabber ID(s) for which to retrieve the last login time", true,
                        List.of())
                .element();
    }

    /**
     * §4.9: the accounts and, in their order, the time each last logged in (bound a session),
     * a XEP-0082 DateTime in UTC to the second; for an account online now, the login of its
     * newest session. One account's is a {@code text-single} as in the XEP's registry (§8.2);
     * several are one line each ({@code text-multi}: XEP-0004 §3.3 gives a text-single one value).
     * An account that does not exist is {@code item-not-found}.
     */
    private CommandStage lastLogins(Element form) {
        List<EntityBareJid> jids = forms.existingAccounts(form, admin::exists);
        List<String> times = jids.stream()
                .map(jid -> logins.lastLogin(jid).map(ActivityCommands::dateTime).orElse(NO_LOGIN)).toList();
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field("accountjids", "jid-multi", null, false, jids.stream().map(EntityBareJid::toString).toList())
                .field("lastlogin", times.size() == 1 ? "text-single" : "text-multi", "Last login time", false, times)
                .element(), null);
    }

    /** XEP-0082 §3.2 DateTime, UTC, whole seconds: {@code 2003-12-19T17:58:35Z}. */
    static String dateTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
