package im.parley.conformance.bosh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.PinnedTrust;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.EntityBareJid;

/**
 * Runs one of the browser client scripts in {@code src/test/browser} (Converse.js in headless
 * Debian Chromium, driven by playwright-core) against an in-process Parley, and checks it prints
 * {@code PASS}. The other side is either the script's own slixmpp peer over TCP ({@link #passes})
 * or the test itself, which {@link #start}s the script, plays the TCP client with Smack and
 * follows the script's progress lines ({@link #awaitLine}). The scripts install what is missing
 * (Debian {@code chromium}, npm packages); a browser that cannot be had is a failure.
 */
public final class BrowserScript implements AutoCloseable {

    /** The script's own budget; the process is ended if it outlives it by a minute. */
    private static final int TIMEOUT_SECONDS = 150;

    private final Path script;
    private final Process process;
    private final Thread reader;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private BrowserScript(Path script, Process process) {
        this.script = script;
        this.process = process;
        this.reader = new Thread(this::read, "browser-script-output");
        reader.start();
    }

    /** Runs {@code script} of {@code src/test/browser} (e.g. {@code converse-bosh.sh}) with the client at {@code url}. */
    public static void passes(HttpParley parley, String script, String url, Path work) throws Exception {
        passes(parley, script(script), url, work, Map.of());
    }

    /** Runs a client script of the shared format (lib.sh: one PASS or FAIL line) with extra environment. */
    public static void passes(HttpParley parley, Path script, String url, Path work, Map<String, String> extraEnv)
            throws Exception {
        try (BrowserScript running = start(parley, script, url, work, parley.newAccount("converse"),
                parley.newAccount("peer"), extraEnv)) {
            running.passes();
        }
    }

    /** A script of {@code src/test/browser}. */
    public static Path script(String name) {
        return Path.of(System.getProperty("parley.browser.scripts", "src/test/browser")).resolve(name);
    }

    /** Starts {@code script} as {@code client} (its peer: {@code peer}) and returns at once. */
    public static BrowserScript start(HttpParley parley, Path script, String url, Path work, EntityBareJid client,
            EntityBareJid peer, Map<String, String> extraEnv) throws IOException {
        Path caFile = PinnedTrust.writePem(parley.server().certificate(HttpParley.DOMAIN), work.resolve("parley.pem"));
        // XMPP_KEEP=1 (the scripts' debugging switch) keeps their work directory outside the @TempDir.
        Path tmp = "1".equals(System.getenv("XMPP_KEEP"))
                ? Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "parley-browser-")
                : Files.createDirectories(work.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder("bash", script.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .directory(work.toFile());
        var env = builder.environment();
        env.put("XMPP_JID", client.toString());
        env.put("XMPP_PASSWORD", HttpParley.PASSWORD);
        env.put("XMPP_PEER", peer.toString());
        env.put("XMPP_HOST", "127.0.0.1");
        env.put("XMPP_PORT", Integer.toString(parley.server().c2sPort()));
        env.put("XMPP_PEER_PORT", Integer.toString(parley.server().c2sPort()));
        env.put("XMPP_CA_FILE", caFile.toString());
        env.put("XMPP_HTTP_URL", url);
        env.put("XMPP_TIMEOUT", Integer.toString(TIMEOUT_SECONDS - 30));
        env.put("TMPDIR", tmp.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(extraEnv);
        return new BrowserScript(script, builder.start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // The process ended; what was read is in 'output'.
        }
    }

    /**
     * Waits until the script printed a line that starts with {@code prefix} and returns it; fails at
     * once when the script ended or printed {@code FAIL} first.
     */
    public String awaitLine(String prefix) {
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).pollInterval(Duration.ofMillis(100))
                .until(() -> line(prefix).isPresent() || !process.isAlive()
                        || output.stream().anyMatch(line -> line.startsWith("FAIL")));
        return line(prefix).orElseThrow(() -> new AssertionError(
                script.getFileName() + " printed no " + prefix.trim() + " line; its output: " + output));
    }

    private Optional<String> line(String prefix) {
        return output.stream().filter(line -> line.startsWith(prefix)).findFirst();
    }

    /** Waits for the script to end and checks it passed. */
    public void passes() throws InterruptedException {
        boolean finished = process.waitFor(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        output.stream().filter(line -> line.startsWith("PASS ") || line.startsWith("FAIL "))
                .forEach(System.out::println);
        assertThat(finished).as("%s finished; its output: %s", script, output).isTrue();
        assertThat(output).as("%s output", script).anyMatch(line -> line.startsWith("PASS "));
        assertThat(process.exitValue()).as("%s exit status; output: %s", script, output).isZero();
    }

    /** Ends a script still running (a test that failed before it did): its exit trap ends what it started. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
