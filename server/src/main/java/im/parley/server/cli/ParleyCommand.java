package im.parley.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code parley} command; the work is done by its subcommands. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyVersion.class,
        description = "Parley XMPP server.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:wrong command line, or missing or invalid configuration",
            "2:user error: malformed JID, existing or unknown user, domain not configured",
            "3:the database or the server failed; for status: the server is not running (LSB)",
            "4:status: cannot tell whether the server runs (LSB)"})
final class ParleyCommand implements Runnable {
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
