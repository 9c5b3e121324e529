package im.parley.server.modules.serviceadmin;

import im.parley.server.admin.ServerNotices;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.WelcomeStore;
import java.util.List;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The welcome message of a hosted domain (XEP-0133 §4.27, §4.28): stored per domain; every
 * account created as a new user while it is set (in-band registration, {@code add-user},
 * {@code parley adduser}: {@link im.parley.server.storage.AccountStore#create}) is sent it once,
 * as a {@code normal} message from the domain, when a session of the account first becomes
 * available, as the XEP has it: "to newly registered users of the server when they first log in".
 * The message in force then is sent: an edited one in its new wording, a deleted one not at all.
 * Accounts that existed before it was set never get it.
 */
final class WelcomeMessage {

    private static final Logger LOG = LoggerFactory.getLogger(WelcomeMessage.class);

    private final AdminForms forms;
    private final WelcomeStore store;
    private final DomainBareJid domain;

    WelcomeMessage(AdminForms forms, WelcomeStore store) {
        this.forms = forms;
        this.store = store;
        this.domain = forms.domain();
    }

    List<AdHocCommand> commands() {
        return List.of(
                forms.twoStage("set-welcome", "Set Welcome Message", this::form, this::set),
                forms.oneStage("delete-welcome", "Delete Welcome Message", () -> CommandStage.completed(null,
                        store.delete(domain) ? "The welcome message was deleted." : "There was no welcome message.")));
    }

    /** Blocking: the welcome message, if the session's account is still to be sent it. */
    void sendPending(LocalSession session) {
        store.takePending(session.jid().asEntityBareJid()).ifPresent(body -> {
            session.deliver(ServerNotices.welcome(domain, session.jid(), body));
            LOG.debug("welcome message sent to {}", session.jid());
        });
    }

    /** §4.27: the form holds the current message, if one is set. */
    private Element form() {
        return AdminForms.textForm("Setting Welcome Message", "Fill out this form to set the welcome message for "
                + "this service.", "welcome", "Welcome Message", store.find(domain).map(AdminForms::lines).orElse(List.of()));
    }

    private CommandStage set(Element form) {
        store.set(domain, AdminForms.text(form, "welcome"));
        LOG.info("welcome message of {} set by an administrator", domain);
        return CommandStage.completed(null, "The welcome message is set; each account created from now on gets it "
                + "once, at its first login.");
    }
}
