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

/** Sets a new password; the old one stops working, and so do the sessions logged in with it. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Change the password of an account (read like adduser's). If the server runs, "
                + "the account's sessions end: they must log in again with the new password.")
final class PasswdCommand implements Callable<Integer> {
    private final PasswordReader passwords;

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "JID", description = "The bare JID of the account.")
    String jid;

    @Spec
    CommandSpec spec;

    PasswdCommand(PasswordReader passwords) {
        this.passwords = passwords;
    }

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        EntityBareJid account = Accounts.hostedJid(jid, loaded);
        try (Accounts accounts = Accounts.open(loaded)) {
            // Checked first so nobody types a password twice for an account that is not there.
            if (!accounts.admin().exists(account)) {
                throw new NoSuchAccountException(account);
            }
            accounts.admin().changePassword(account, passwords.readNewPassword(account.toString()));
        } catch (NoSuchAccountException e) {
            throw new UserErrorException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("changed the password of " + account);
        return ExitCodes.OK;
    }
}
