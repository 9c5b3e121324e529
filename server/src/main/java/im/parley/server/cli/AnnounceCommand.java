package im.parley.server.cli;

import im.parley.server.config.ParleyConfig;
import java.util.List;
import java.util.concurrent.Callable;
import org.jxmpp.jid.DomainBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Sends an announcement to every online session of a domain (XEP-0133 §4.23). */
@Command(name = "announce", mixinStandardHelpOptions = true,
        description = {"Send a message (type headline, from the domain) to every online session of a domain. "
                + "The text is the remaining arguments, or standard input when there are none. Needs the running server."})
final class AnnounceCommand implements Callable<Integer> {
    private final TextReader texts;

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "A configured domain.")
    String domain;

    @Parameters(index = "1..*", paramLabel = "TEXT", description = "The announcement.")
    List<String> words;

    @Spec
    CommandSpec spec;

    AnnounceCommand(TextReader texts) {
        this.texts = texts;
    }

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        DomainBareJid hosted = Accounts.hostedDomain(domain, loaded);
        String text = texts.read(words, "announcement");
        int sent;
        try (Accounts accounts = Accounts.open(loaded)) {
            accounts.requireServer("announce to");
            sent = accounts.admin().announce(hosted, text);
        }
        spec.commandLine().getOut().println("sent to " + sent + (sent == 1 ? " session" : " sessions"));
        return ExitCodes.OK;
    }
}
