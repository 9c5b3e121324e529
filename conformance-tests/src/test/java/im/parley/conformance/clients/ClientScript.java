package im.parley.conformance.clients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one script of {@code src/test/clients} (a real third-party client driven headless, see
 * the README there) and returns what it printed. The scripts print one line
 * {@code PASS <name>: ...} or {@code FAIL <name>: ...} on stdout, progress on stderr.
 */
final class ClientScript {

    /** The budget given to a script ({@code XMPP_TIMEOUT}); the scripts' own watchdog adds 30 s. */
    static final int TIMEOUT_SECONDS = 30;
    /** How long the script runs past its budget before it is killed: its watchdog's 30 s and some. */
    private static final int GRACE_SECONDS = 45;

    private final String name;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private int timeoutSeconds = TIMEOUT_SECONDS;

    private ClientScript(String name) {
        this.name = name;
    }

    /** {@code name} is the script's file name without {@code .sh}. */
    static ClientScript named(String name) {
        return new ClientScript(name);
    }

    ClientScript env(String variable, Object value) {
        environment.put(variable, String.valueOf(value));
        return this;
    }

    /** A larger budget than {@link #TIMEOUT_SECONDS}, for a script that runs a client twice. */
    ClientScript timeout(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /**
     * The usual environment: the client under test logs in as {@code jid} over STARTTLS, the
     * slixmpp peer as {@code peer}, both trusting exactly the server's certificate.
     */
    ClientScript against(ClientsServer server, String jid, String peer) {
        return env("XMPP_JID", jid)
                .env("XMPP_PASSWORD", ClientsServer.PASSWORD)
                .env("XMPP_PEER", peer)
                .env("XMPP_PEER_PASSWORD", ClientsServer.PASSWORD)
                .env("XMPP_HOST", server.host())
                .env("XMPP_PORT", server.c2sPort())
                .env("XMPP_PEER_HOST", server.host())
                .env("XMPP_PEER_PORT", server.c2sPort())
                .env("XMPP_TLS", "starttls")
                .env("XMPP_CA_FILE", server.caFile());
    }

    /** Runs the script in its own temporary directory; never outlives its budget and {@link #GRACE_SECONDS}. */
    Outcome run(Path tmp) throws IOException, InterruptedException {
        Path script = scriptsDirectory().resolve(name + ".sh");
        Path output = tmp.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(environment);
        env.put("TMPDIR", tmp.toString());
        env.put("XMPP_TIMEOUT", String.valueOf(timeoutSeconds));
        Process process = builder.start();
        boolean ended;
        try {
            ended = process.waitFor(timeoutSeconds + GRACE_SECONDS, TimeUnit.SECONDS);
        } finally {
            // the script kills what it started; this is for a script that hangs itself
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        return new Outcome(name, ended ? process.exitValue() : -1,
                ended ? text : text + "\n(killed after " + (timeoutSeconds + GRACE_SECONDS) + " s)");
    }

    /** {@code conformance-tests/src/test/clients}, from the module directory Maven runs tests in. */
    static Path scriptsDirectory() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/clients").toAbsolutePath();
    }

    /** What the script printed (stdout and stderr, in order) and its exit status. */
    record Outcome(String name, int exitStatus, String output) {

        /** The script's verdict line, e.g. {@code PASS profanity: ... (4s)}, or empty. */
        String verdict() {
            List<String> lines = output.lines()
                    .filter(line -> line.startsWith("PASS ") || line.startsWith("FAIL "))
                    .toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        boolean passed() {
            return exitStatus == 0 && verdict().startsWith("PASS " + name + ":");
        }
    }
}
