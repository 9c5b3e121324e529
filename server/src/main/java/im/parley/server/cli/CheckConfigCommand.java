package im.parley.server.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file as start would, without starting anything: every option, its type "
                + "and bounds, certificate files, data_dir, listener addresses. Prints each problem with its key; "
                + "exits 1 if there is one.")
final class CheckConfigCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The file (default: --config, else ./parley.yml if it exists, else the built-in defaults).")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path chosen = file != null ? file : config.file != null ? config.file : parent.config.file;
        if (chosen == null && Files.exists(ConfigFileOption.DEFAULT_FILE)) {
            chosen = ConfigFileOption.DEFAULT_FILE;
        }
        List<ConfigCheck.Finding> findings = ConfigCheck.run(chosen);
        PrintWriter out = spec.commandLine().getOut();
        long problems = 0;
        for (ConfigCheck.Finding finding : findings) {
            if (finding.problem()) {
                problems++;
                out.println("error: " + finding.text());
            } else {
                out.println("warning: " + finding.text());
            }
        }
        String what = chosen == null ? "the built-in defaults" : chosen.toString();
        out.println(problems == 0 ? what + ": OK" : what + ": " + problems + (problems == 1 ? " problem" : " problems"));
        out.flush();
        return problems == 0 ? ExitCodes.OK : ExitCodes.USAGE_OR_CONFIG;
    }
}
