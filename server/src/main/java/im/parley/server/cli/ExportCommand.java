package im.parley.server.cli;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.server.config.ParleyConfig;
import im.parley.server.portability.PieExporter;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jxmpp.jid.DomainBareJid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley export FILE}: every account and its data as one XEP-0227 file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the accounts of every configured domain (or of the --domain ones) with their SCRAM "
                + "credentials, rosters, pending subscription requests, vCards, private XML and offline messages "
                + "as one XEP-0227 file for parley import. The file is created "
                + "owner-only (it holds credentials) and never overwritten. The server must be stopped.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to write; must not exist.")
    Path file;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Export only this domain (repeatable).")
    List<String> only = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        List<DomainBareJid> domains = new ArrayList<>();
        for (String domain : only.isEmpty() ? loaded.domains() : only) {
            domains.add(Accounts.hostedDomain(domain, loaded));
        }
        if (Files.exists(file)) {
            throw new UserErrorException(file + " exists; choose a new file name");
        }
        Accounts.requireNoServer(loaded, "export");
        int count;
        try (Database database = Accounts.openDatabase(loaded)) {
            if (!OwnerOnlyFiles.createFile(file)) {
                throw new UserErrorException(file + " exists; choose a new file name");
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.TRUNCATE_EXISTING))) {
                count = new PieExporter(new JdbcStorage(database.dataSource())).export(domains, out);
            }
        }
        spec.commandLine().getOut().println("exported " + count + " accounts to " + file);
        return ExitCodes.OK;
    }
}
