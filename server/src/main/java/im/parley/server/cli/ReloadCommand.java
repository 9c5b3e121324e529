package im.parley.server.cli;

import im.parley.server.admin.AdminClient;
import im.parley.server.config.ParleyConfig;
import im.parley.server.tls.ReloadReport;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code parley reload}: the running server reads its certificate files again (after a Let's
 * Encrypt renewal), over its admin socket, as {@code prosodyctl reload} or ejabberd's
 * {@code reload_config} do. The server also does it on SIGHUP ({@code systemctl reload}).
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Have the running server read its certificate files again: new connections get the new "
                + "certificates, open ones keep theirs. A file that cannot be used is refused and its hosts keep "
                + "their certificate. Exits 0 when every file was taken, 3 when one was refused or the server "
                + "does not run.")
final class ReloadCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        PrintWriter out = spec.commandLine().getOut();
        Optional<AdminClient> server = AdminClient.connect(loaded.dataDir());
        if (server.isEmpty()) {
            spec.commandLine().getErr().println("parley: parley is not running (nothing answers on "
                    + AdminClient.socketFile(loaded.dataDir()) + "); it reads the certificates when it starts");
            return ExitCodes.FAILURE;
        }
        ReloadReport report = server.get().reloadCertificates();
        report.lines().forEach(out::println);
        out.flush();
        if (report.failures() > 0) {
            spec.commandLine().getErr().println("parley: " + report.failures() + (report.failures() == 1
                    ? " certificate was" : " certificates were") + " refused; the hosts concerned keep theirs "
                    + "(see above and the server's log)");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
