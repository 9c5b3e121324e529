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

/** Disables an account, or enables it again: {@code parley disable} and {@code parley enable}. */
abstract class DisableCommand implements Callable<Integer> {
    private final boolean disable;

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "JID", description = "The bare JID of the account.")
    String jid;

    @Spec
    CommandSpec spec;

    private DisableCommand(boolean disable) {
        this.disable = disable;
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable an account: it cannot log in (account-disabled) until enabled again, and its "
                    + "data stays. If the server runs, the account's sessions end.")
    static final class Disable extends DisableCommand {
        Disable() {
            super(true);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled account again.")
    static final class Enable extends DisableCommand {
        Enable() {
            super(false);
        }
    }

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        EntityBareJid account = Accounts.hostedJid(jid, loaded);
        try (Accounts accounts = Accounts.open(loaded)) {
            accounts.admin().setDisabled(account, disable);
        } catch (NoSuchAccountException e) {
            throw new UserErrorException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println((disable ? "disabled " : "enabled ") + account);
        return ExitCodes.OK;
    }
}
