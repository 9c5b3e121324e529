package im.parley.server.federation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The peer-server scripts of {@code s2s-federation/src/test/peers} (start, stop, add users, edit
 * /etc/hosts) run from the tests. All data of one test class lives under {@code base}. A script
 * that fails fails the test: a missing Prosody or ejabberd is an error, never a skip.
 */
public final class PeerScripts {

    /** The python with Debian's slixmpp; a pyenv or venv python3 on PATH may lack it. */
    static final String PYTHON = "/usr/bin/python3";

    private final Path directory;
    private final Path base;
    private final Map<String, String> environment = new HashMap<>();

    public PeerScripts(Path base) {
        this.directory = locate();
        this.base = base;
    }

    /** The scripts directory, found from the module the tests run in (Maven runs them in the module's directory). */
    private static Path locate() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate : List.of(cwd.resolve("s2s-federation/src/test/peers"),
                cwd.resolveSibling("s2s-federation").resolve("src/test/peers"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no s2s-federation/src/test/peers near " + cwd);
    }

    /** Sets an environment variable for the scripts run later (the scripts' knobs, e.g. PROSODY_LOGLEVEL). */
    public PeerScripts with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    public Path file(String name) {
        return directory.resolve(name);
    }

    public Path base() {
        return base;
    }

    /** Runs {@code script args...} and returns its output; throws with the output if it fails. */
    public String run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(directory.resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PEERS_BASE", base.toString());
        builder.environment().put("TMPDIR", base.toString());
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(base, script, ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish in 120 s: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                    + output);
        }
        return output;
    }
}
