package im.parley.server.cli;

import im.parley.server.config.ParleyConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "users", mixinStandardHelpOptions = true, description = "List the accounts of a domain, one per line.")
final class UsersCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "A configured domain.")
    String domain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        DomainBareJid hosted = Accounts.hostedDomain(domain, loaded);
        PrintWriter out = spec.commandLine().getOut();
        try (Accounts accounts = Accounts.open(loaded)) {
            for (EntityBareJid jid : accounts.admin().list(hosted)) {
                out.println(jid);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
