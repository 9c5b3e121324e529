package im.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 5: SIGTERM stops the server within {@code shutdown.timeout} even when an event
 * loop is stuck or a step of the stop hangs. Before, the stop waited for the event loops without
 * a bound, and a stuck one kept the process alive until it was killed. Each case starts a real
 * server process ({@link StuckServerMain}), gets it stuck, sends SIGTERM and waits for the exit.
 */
class ShutdownTest {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    /** What the JVM needs beyond the timeout to run the last hooks and exit. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(3);
    /** SIGTERM's exit status when every shutdown hook has finished (128 + 15). */
    private static final int SIGTERM_STATUS = 143;

    @TempDir
    Path dir;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermWithAStuckEventLoopStopsWithinTheTimeout() throws Exception {
        start("event-loop");
        Duration took = sigterm();

        assertThat(took).as(log()).isLessThan(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN));
        assertThat(process.exitValue()).as(log()).isEqualTo(SIGTERM_STATUS);
        assertThat(log()).contains("did not stop in time (a handler is stuck on it)")
                .contains("StuckServerMain.blockForever")
                .contains("Parley stopped")
                .doesNotContain("halting");
    }

    @Test
    void sigtermWithAHungShutdownStepHaltsAtTheTimeout() throws Exception {
        start("shutdown-step");
        Duration took = sigterm();

        assertThat(took).as(log()).isGreaterThanOrEqualTo(SHUTDOWN_TIMEOUT)
                .isLessThan(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN));
        assertThat(process.exitValue()).as(log()).isEqualTo(ShutdownHook.HALTED);
        assertThat(log()).contains("Parley stopped").contains("Parley did not stop within PT2S (shutdown.timeout); halting");
    }

    /**
     * The database closes after the server has ended its sessions, not before: H2's own shutdown
     * hook used to close it first (it closes a database at JVM exit unless told not to), so every
     * logout the shutdown recorded failed with "Database is already closed".
     */
    @Test
    void sigtermWithSessionsRecordsTheirLogoutsBeforeTheDatabaseCloses() throws Exception {
        start("sessions");
        sigterm();

        assertThat(process.exitValue()).as(log()).isEqualTo(SIGTERM_STATUS);
        assertThat(log()).contains("Parley stopped").doesNotContain("Database is already closed")
                .doesNotContain("cannot record the logout");
    }

    @Test
    void theWatchdogLetsTheJvmWriteItsClassArchiveAfterTheServerStopped() {
        assertThat(ShutdownHook.writesArchiveAtExit(List.of("-Xmx256m", "-XX:AOTCacheOutput=/var/lib/parley/cds/p.aot.new")))
                .isTrue();
        assertThat(ShutdownHook.writesArchiveAtExit(List.of("-XX:ArchiveClassesAtExit=/x/parley-17.jsa.new"))).isTrue();
        assertThat(ShutdownHook.writesArchiveAtExit(List.of("-XX:SharedArchiveFile=/x/parley-17.jsa", "-XX:AOTCache=/x/p.aot")))
                .isFalse();
    }

    private void start(String stuck) throws IOException {
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StuckServerMain.class.getName(),
                dir.resolve("data").toString(), Long.toString(SHUTDOWN_TIMEOUT.toMillis()), stuck)
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output lost: " + e + ")");
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> output.contains("READY") || !process.isAlive());
        assertThat(process.isAlive()).as(log()).isTrue();
    }

    /**
     * Sends SIGTERM (what {@link ProcessHandle#destroy()} sends on Unix; {@link Process#destroy()}
     * would also close the pipe the log comes through) and waits for the exit; returns how long it took.
     */
    private Duration sigterm() throws InterruptedException {
        long start = System.nanoTime();
        assertThat(process.toHandle().destroy()).isTrue();
        boolean exited = process.waitFor(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN).plusSeconds(20).toMillis(),
                TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(exited).as("exited after SIGTERM\n" + log()).isTrue();
        return took;
    }

    private String log() {
        return String.join("\n", output);
    }
}
