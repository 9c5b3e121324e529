package im.parley.server.cli;

import im.parley.server.account.NoSuchAccountException;
import im.parley.server.config.ParleyConfig;
import java.util.concurrent.Callable;
import org.jxmpp.jid.EntityBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "deluser", mixinStandardHelpOptions = true, description = "Delete an account. If the server runs, the account's sessions end.")
final class DelUserCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "JID", description = "The bare JID of the account.")
    String jid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        EntityBareJid account = Accounts.hostedJid(jid, loaded);
        try (Accounts accounts = Accounts.open(loaded)) {
            accounts.admin().delete(account);
        } catch (NoSuchAccountException e) {
            throw new UserErrorException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("deleted " + account);
        return ExitCodes.OK;
    }
}
