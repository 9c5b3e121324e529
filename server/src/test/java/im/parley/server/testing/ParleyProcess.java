package im.parley.server.testing;

import static org.awaitility.Awaitility.await;

import im.parley.server.cli.ParleyMain;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Parley server in its own JVM, started as a user starts it ({@code parley run --config FILE}),
 * and the {@code parley} command run beside it in further JVMs: for what only real processes
 * show (their sockets in /proc, the files they leave, two of them on one data directory).
 */
public final class ParleyProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final Path config;
    private final Path log;
    /** Where this process's output starts in {@link #log}: the runs before it on the directory come first. */
    private final long logStart;
    private final List<String> jvmOptions;

    private ParleyProcess(Process process, Path config, Path log, long logStart, List<String> jvmOptions) {
        this.process = process;
        this.config = config;
        this.log = log;
        this.logStart = logStart;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Writes {@code configYaml} to {@code dir/parley.yml}, starts the server with it and waits for
     * its start-up banner; its log goes to {@code dir/parley.log}, after those of the servers started
     * there before (a restart keeps the earlier runs' logs, for a failure's report).
     */
    public static ParleyProcess start(Path dir, String configYaml, List<String> jvmOptions) throws Exception {
        Path config = Files.writeString(dir.resolve("parley.yml"), configYaml);
        Path log = dir.resolve("parley.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command(jvmOptions, List.of("run", "--config", config.toString())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ParleyProcess parley = new ParleyProcess(process, config, log, logStart, jvmOptions);
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || parley.log().contains(" serving "));
        } catch (ConditionTimeoutException e) {
            // Not left running after the test: it would hold its ports and data through the next ones.
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Parley did not start within " + START_TIMEOUT + ":\n" + parley.log(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("Parley exited with " + process.exitValue() + ":\n" + parley.log());
        }
        return parley;
    }

    public long pid() {
        return process.pid();
    }

    public Path config() {
        return config;
    }

    /** Everything the server logged so far. */
    public String log() throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        int start = (int) Math.min(logStart, bytes.length);
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    /** What every server started on this directory logged, this one's last: for a failure's report. */
    public String logHistory() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Runs {@code parley ARGS --config FILE} in another JVM with {@code stdin}, as this server's user. */
    public CommandResult command(String stdin, String... args) throws Exception {
        return command(config, jvmOptions, stdin, args);
    }

    /** Runs {@code parley ARGS --config FILE} in another JVM with {@code stdin}, whether a server runs or not. */
    public static CommandResult command(Path config, List<String> jvmOptions, String stdin, String... args)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add("--config");
        arguments.add(config.toString());
        Process command = new ProcessBuilder(command(jvmOptions, arguments)).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(command.getErrorStream()));
        try (OutputStream in = command.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String stdout = readAll(command.getInputStream());
        if (!command.waitFor(2, TimeUnit.MINUTES)) {
            command.destroyForcibly();
            throw new AssertionError("parley " + String.join(" ", args) + " did not finish");
        }
        return new CommandResult(command.exitValue(), stdout, stderr.get());
    }

    /** Waits up to {@code timeout} for the process to exit by itself; true if it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit status of a process that has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Ends the server as a crash would: SIGKILL, no shutdown hook, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the server survived SIGKILL");
        }
    }

    /** Stops the server as a service manager does (SIGTERM) and waits for it to exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static List<String> command(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        // SIGHUP as a service manager leaves it, whatever this JVM inherited (a build started under
        // nohup ignores it, and an ignored signal stays ignored across exec: ReloadSignalTest).
        command.addAll(List.of("env", "--default-signal=HUP"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParleyMain.class.getName());
        command.addAll(arguments);
        return command;
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What a run of the parley command printed, and its exit code. */
    public record CommandResult(int exitCode, String stdout, String stderr) {
    }
}
