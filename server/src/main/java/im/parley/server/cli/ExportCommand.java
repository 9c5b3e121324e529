package im.parley.server.cli;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.server.config.ParleyConfig;
import im.parley.server.portability.PieExporter;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
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

/** {@code parley export PATH}: every account and its data as one XEP-0227 file, or one file per account. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the accounts of every configured domain (or of the --domain ones) with their SCRAM "
                + "credentials, rosters, pending subscription requests, vCards, private XML and offline messages "
                + "in the XEP-0227 format: as one file, or, when PATH is an existing directory, as one file per "
                + "account named user@domain.xml (the layout Prosody's xep0227 store reads). Files are created "
                + "owner-only (they hold credentials) and never overwritten. The server must be stopped.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Parameters(index = "0", paramLabel = "PATH", description = "The file to write (must not exist), or a directory.")
    Path path;

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
        boolean perUser = Files.isDirectory(path);
        if (!perUser && Files.exists(path)) {
            throw new UserErrorException(path + " exists; choose a new file name");
        }
        Accounts.requireNoServer(loaded, "export");
        int count;
        try (Database database = Accounts.openDatabase(loaded)) {
            PieExporter exporter = new PieExporter(new JdbcStorage(database.dataSource()));
            count = perUser ? exporter.exportPerUser(domains, path) : exportToFile(exporter, domains);
        } catch (FileAlreadyExistsException e) {
            throw new UserErrorException(e.getFile() + " exists; export into an empty directory", e);
        }
        spec.commandLine().getOut().println("exported " + count + " accounts to " + path);
        return ExitCodes.OK;
    }

    private int exportToFile(PieExporter exporter, List<DomainBareJid> domains) throws Exception {
        if (!OwnerOnlyFiles.createFile(path)) {
            throw new UserErrorException(path + " exists; choose a new file name");
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            return exporter.export(domains, out);
        }
    }
}
