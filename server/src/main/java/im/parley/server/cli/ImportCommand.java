package im.parley.server.cli;

import im.parley.server.config.ParleyConfig;
import im.parley.server.portability.ImportReport;
import im.parley.server.portability.PieImporter;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley import PATH}: users and their data from a XEP-0227 export (Prosody, ejabberd, Parley). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import accounts, passwords, rosters, vCards, private XML and offline messages from a "
                + "XEP-0227 export: one file, or a directory of them (prosody-migrator's xep0227 output, "
                + "ejabberdctl export_piefxis's). Accounts that exist already are left unchanged and reported; "
                + "an account without a usable password is imported disabled. The server must be stopped.",
            "Exit code 0 when every account was imported, 2 when some were not (each one is reported) or "
                + "there was none."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "PATH", description = "The XEP-0227 file, or a directory of such files.")
    Path path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        if (!Files.exists(path)) {
            throw new UserErrorException("no file or directory " + path);
        }
        Accounts.requireNoServer(loaded, "import");
        PrintWriter out = spec.commandLine().getOut();
        ImportReport report = new ImportReport(out);
        try (Database database = Accounts.openDatabase(loaded)) {
            new PieImporter(new JdbcStorage(database.dataSource()), Set.copyOf(loaded.domains()), Clock.systemUTC())
                    .run(path, report);
        }
        return report.refused() == 0 && report.imported() > 0 ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }
}
