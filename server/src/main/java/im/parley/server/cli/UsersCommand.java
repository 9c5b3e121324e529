package im.parley.server.cli;

import im.parley.server.config.ParleyConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "users", mixinStandardHelpOptions = true,
        description = "List the accounts of a domain, one per line: all of them, or those online (needs the "
                + "running server) or disabled; or only count them.")
final class UsersCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "A configured domain.")
    String domain;

    @ArgGroup(exclusive = true)
    Which which = new Which();

    static final class Which {
        @Option(names = "--online", description = "Only accounts with at least one session.")
        boolean online;

        @Option(names = "--disabled", description = "Only disabled accounts.")
        boolean disabled;
    }

    @Option(names = "--count", description = "Print how many, not who.")
    boolean count;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        DomainBareJid hosted = Accounts.hostedDomain(domain, loaded);
        PrintWriter out = spec.commandLine().getOut();
        try (Accounts accounts = Accounts.open(loaded)) {
            List<EntityBareJid> jids;
            if (which.online) {
                accounts.requireServer("list");
                jids = accounts.admin().listOnline(hosted);
            } else if (which.disabled) {
                jids = accounts.admin().listDisabled(hosted);
            } else {
                jids = accounts.admin().list(hosted);
            }
            if (count) {
                out.println(jids.size());
            } else {
                jids.forEach(out::println);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
