package im.parley.server.cli;

import im.parley.server.config.ParleyConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jxmpp.jid.DomainBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The message of the day of a domain (XEP-0133 §4.24-§4.26): {@code parley motd show|set|delete DOMAIN}.
 * Each user gets a new message once, at their next login; set while the server runs, it also
 * goes at once to the users online.
 */
@Command(name = "motd", mixinStandardHelpOptions = true,
        description = "Show, set or delete a domain's message of the day. Each user gets a new message once, when "
                + "they next log in; set while the server runs, it also goes at once to the users online.")
final class MotdCommand implements Runnable {
    @ParentCommand
    ParleyCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "show, set or delete?");
    }

    /** What the three subcommands share: the configuration and the domain. */
    abstract static class OnDomain implements Callable<Integer> {
        @ParentCommand
        MotdCommand motd;

        @Mixin
        ConfigFileOption config = new ConfigFileOption();

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "A configured domain.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ParleyConfig loaded = config.load(motd.parent.config);
            DomainBareJid hosted = Accounts.hostedDomain(domain, loaded);
            try (Accounts accounts = Accounts.open(loaded)) {
                return run(accounts, hosted);
            }
        }

        abstract int run(Accounts accounts, DomainBareJid domain) throws UserErrorException;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the message of the day.")
    static final class Show extends OnDomain {
        @Override
        int run(Accounts accounts, DomainBareJid domain) {
            Optional<String> text = accounts.admin().motd(domain);
            if (text.isEmpty()) {
                spec.commandLine().getErr().println("no message of the day on " + domain);
            } else {
                spec.commandLine().getOut().println(text.get());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the message of the day: the remaining arguments, or standard input when there are none.")
    static final class Set extends OnDomain {
        private final TextReader texts;

        @Parameters(index = "1..*", paramLabel = "TEXT", description = "The message.")
        List<String> words;

        Set(TextReader texts) {
            this.texts = texts;
        }

        @Override
        int run(Accounts accounts, DomainBareJid domain) throws UserErrorException {
            String text = texts.read(words, "message of the day");
            accounts.admin().setMotd(domain, text, true);
            spec.commandLine().getOut().println("set the message of the day of " + domain);
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete the message of the day.")
    static final class Delete extends OnDomain {
        @Override
        int run(Accounts accounts, DomainBareJid domain) {
            boolean deleted = accounts.admin().deleteMotd(domain);
            spec.commandLine().getOut().println(deleted ? "deleted the message of the day of " + domain
                    : "no message of the day on " + domain);
            return ExitCodes.OK;
        }
    }
}
