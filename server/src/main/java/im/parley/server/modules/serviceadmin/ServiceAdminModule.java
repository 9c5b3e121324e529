package im.parley.server.modules.serviceadmin;

import im.parley.server.account.AccountService;
import im.parley.server.admin.LocalAccountAdmin;
import im.parley.server.admin.ServerNotices;
import im.parley.server.config.ServerAdmins;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.AdHocModule;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.MotdStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service administration (XEP-0133) on each hosted domain: the commands of {@link AdminCommands},
 * {@link ActivityCommands} and {@link WelcomeMessage} for the server's administrators (the
 * top-level {@code admins} option; nobody else sees or may run them). When a session becomes
 * available, a new user is sent the welcome message, and each user the message of the day once
 * after it changed (as ejabberd's mod_announce does; Prosody's mod_motd sends it at every login).
 */
public final class ServiceAdminModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceAdminModule.class);

    @Override
    public String name() {
        return "service-admin";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("adhoc");
    }

    @Override
    public void load(ModuleContext context) {
        Set<EntityBareJid> admins = ServerAdmins.jids(context.option(ServerAdmins.ADMINS));
        DomainBareJid domain = context.host().domain();
        LocalAccountAdmin operations = new LocalAccountAdmin(new AccountService(context.storage().accounts()),
                context.storage().motd(), context.sessions(), context.clock());
        AdminForms forms = new AdminForms(domain, requester -> isAdmin(admins, requester), context.blocking());
        OnlineActivity activity = new OnlineActivity(context.sessions());
        activity.watch(context);
        WelcomeMessage welcome = new WelcomeMessage(forms, context.storage().welcome());
        List<AdHocCommand> commands = new ArrayList<>(
                new AdminCommands(forms, operations, context.storage().rosters(), context.sessions()).all());
        commands.addAll(new ActivityCommands(forms, operations, context.storage().lastActivity(), activity).all());
        commands.addAll(welcome.commands());
        if (context.server().canStop()) {
            commands.add(ShutdownCommand.create(forms, context.server(), context.sessions()));
        }
        for (AdHocCommand command : commands) {
            context.fire(AdHocModule.ADD_COMMAND, command);
        }
        MotdStore motds = context.storage().motd();
        context.hook(SessionEvents.AVAILABLE, EventPriority.OBSERVE, session -> {
            PoolWork.run(() -> {
                welcome.sendPending(session);
                sendMotd(motds, domain, session);
            }, context.blocking()).exceptionally(failure -> {
                LOG.warn("cannot send the welcome message or the message of the day to {}: {}", session.jid(),
                        failure.toString());
                return null;
            });
            return Verdict.PASS;
        });
    }

    /** Blocking: once per version of the message and account (XEP-0133 §4.24). */
    private static void sendMotd(MotdStore motds, DomainBareJid domain, LocalSession session) {
        motds.find(domain)
                .filter(motd -> motds.markSent(session.jid().asEntityBareJid(), motd.changedAt()))
                .ifPresent(motd -> session.deliver(ServerNotices.motd(domain, session.jid(), motd.body())));
    }

    private static boolean isAdmin(Set<EntityBareJid> admins, Jid requester) {
        EntityBareJid bare = requester.asEntityBareJidIfPossible();
        return bare != null && admins.contains(bare);
    }
}
