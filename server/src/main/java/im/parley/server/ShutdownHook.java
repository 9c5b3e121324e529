package im.parley.server;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a server when the JVM is asked to stop (SIGTERM, Ctrl-C), within {@code shutdown.timeout}.
 * {@link ParleyServer#close()} bounds its own waits (a stuck event loop is left behind); this
 * watchdog is the last resort for a step that hangs anyway, such as a database that never
 * finishes closing or another library's shutdown hook: past the bound it logs one line and halts
 * the JVM, so that a supervisor (systemd, Docker) never has to kill a server that was asked to
 * stop.
 */
public final class ShutdownHook {

    /** The exit status after a halt: {@code parley}'s 3, the server failed. */
    static final int HALTED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHook.class);

    private ShutdownHook() {
    }

    /** Stops {@code server} when the JVM shuts down, halting it if that takes longer than {@code timeout}. */
    public static void install(ParleyServer server, Duration timeout) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, timeout), "parley-shutdown"));
    }

    private static void stop(ParleyServer server, Duration timeout) {
        Thread watchdog = new Thread(() -> haltAfter(timeout), "parley-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        server.close();
        if (writesArchiveAtExit(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
            // The JVM writes its class archive after the hooks, seconds on a small machine (bin/parley's first
            // run): halting would lose it and exit with a failure. A hung hook of a library is then left to the
            // supervisor, in this one run.
            watchdog.interrupt();
        }
    }

    /** Whether these JVM options write a class data sharing archive or an AOT cache at exit (JEP 350, JEP 514). */
    static boolean writesArchiveAtExit(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit=")
                || option.startsWith("-XX:AOTCacheOutput="));
    }

    private static void haltAfter(Duration timeout) {
        try {
            Thread.sleep(timeout.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        LOG.error("Parley did not stop within {} (shutdown.timeout); halting", timeout);
        Runtime.getRuntime().halt(HALTED);
    }
}
