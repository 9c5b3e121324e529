package im.parley.server.cli;

import im.parley.server.account.AccountExistsException;
import im.parley.server.config.ParleyConfig;
import java.util.concurrent.Callable;
import org.jxmpp.jid.EntityBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Creates an account; the password comes from the terminal or the first line of standard input. */
@Command(name = "adduser", mixinStandardHelpOptions = true,
        description = {"Create an account. The password is asked twice on a terminal, "
                + "or read from the first line of standard input (echo pw | parley adduser ...)."})
final class AddUserCommand implements Callable<Integer> {
    private final PasswordReader passwords;

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "JID", description = "The bare JID of the account, e.g. juliet@example.org.")
    String jid;

    @Spec
    CommandSpec spec;

    AddUserCommand(PasswordReader passwords) {
        this.passwords = passwords;
    }

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        EntityBareJid account = Accounts.hostedJid(jid, loaded);
        String password = passwords.readNewPassword(account.toString());
        try (Accounts accounts = Accounts.open(loaded)) {
            accounts.admin().create(account, password);
        } catch (AccountExistsException e) {
            throw new UserErrorException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("created " + account);
        return ExitCodes.OK;
    }
}
