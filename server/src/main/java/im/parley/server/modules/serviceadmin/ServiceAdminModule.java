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
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service administration (XEP-0133) on each hosted domain: the commands of {@link AdminCommands}
 * for the server's administrators (the top-level {@code admins} option; nobody else sees or may
 * run them), and the message of the day, sent to each user once, when a session of theirs
 * becomes available after the message changed (as ejabberd's mod_announce does; Prosody's mod_motd
 * sends it at every login).
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
        AdminCommands commands = new AdminCommands(operations, context.storage().rosters(), context.sessions(), domain,
                requester -> isAdmin(admins, requester), context.blocking());
        for (AdHocCommand command : commands.all()) {
            context.fire(AdHocModule.ADD_COMMAND, command);
        }
        if (context.server().canStop()) {
            context.fire(AdHocModule.ADD_COMMAND, ShutdownCommand.create(context.server(), context.sessions(),
                    requester -> isAdmin(admins, requester), context.blocking()));
        }
        MotdStore motds = context.storage().motd();
        context.hook(SessionEvents.AVAILABLE, EventPriority.OBSERVE, session -> {
            PoolWork.run(() -> sendMotd(motds, domain, session), context.blocking())
                    .exceptionally(failure -> {
                        LOG.warn("cannot send the message of the day to {}: {}", session.jid(), failure.toString());
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
