package im.parley.server.cli;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.config.ParleyConfig;
import java.util.concurrent.Callable;
import org.jxmpp.jid.Jid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Ends sessions (XEP-0133 §4.5): all of a bare JID's, or the one of a full JID. */
@Command(name = "kick", mixinStandardHelpOptions = true,
        description = "End the sessions of a user (user@domain) or one session (user@domain/resource); "
                + "the user may log in again. Needs the running server.")
final class KickCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "JID", description = "user@domain, or user@domain/resource.")
    String jid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        Jid target;
        try {
            target = Jids.parse(jid);
        } catch (JidMalformedException e) {
            throw new UserErrorException(e.getMessage() + " (jid-malformed: expected user@domain[/resource])", e);
        }
        if (!target.hasLocalpart()) {
            throw new UserErrorException("'" + jid + "' names no user (expected user@domain[/resource])");
        }
        Accounts.hostedDomain(target.getDomain().toString(), loaded);
        int ended;
        try (Accounts accounts = Accounts.open(loaded)) {
            accounts.requireServer("kick");
            ended = accounts.admin().endSessions(target);
        }
        spec.commandLine().getOut().println("ended " + ended + (ended == 1 ? " session of " : " sessions of ") + target);
        return ExitCodes.OK;
    }
}
