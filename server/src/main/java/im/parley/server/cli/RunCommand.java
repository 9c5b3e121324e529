package im.parley.server.cli;

import im.parley.server.ParleyServer;
import im.parley.server.ReloadSignal;
import im.parley.server.ShutdownHook;
import im.parley.server.config.ParleyConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * Starts the server and keeps it running until the JVM is asked to stop (Ctrl-C, SIGTERM); the
 * stop takes at most {@code shutdown.timeout}. SIGHUP reads the certificates again.
 */
@Command(name = "run", description = "Start the server.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        ParleyServer server = new ParleyServer(loaded);
        ShutdownHook.install(server, loaded.shutdownTimeout());
        // An administrator's stop (XEP-0133 §4.31) ends the process as SIGTERM does: through the hook.
        server.onStopRequested(() -> System.exit(ExitCodes.OK));
        // Before the start: from the start-up banner on, SIGHUP never stops the server.
        ReloadSignal.install(server);
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        // The server runs on its own threads; this one only waits for the JVM to shut down.
        new CountDownLatch(1).await();
        return ExitCodes.OK;
    }
}
