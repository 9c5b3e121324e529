package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Interoperability with a real third-party client: slixmpp (Debian's {@code python3-slixmpp})
 * logs in over STARTTLS, verifying the server certificate, and echoes a message from Smack.
 * A missing slixmpp fails this test: {@code .ci/run} installs it.
 */
class SlixmppInteropTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(40);

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @TempDir
    Path work;

    /** RFC 6120 §5, §6, §7 and RFC 6121 §4.2, §5 with an independent client implementation. */
    @Test
    @DisplayName("slixmpp logs in over STARTTLS and echoes a chat message from Smack")
    void slixmppEchoesSmack() throws Exception {
        EntityBareJid echoAccount = parley.newAccount("slixmpp");
        Path caFile = PinnedTrust.writePem(parley.certificate(), work.resolve("parley-test.pem"));
        Path home = Files.createDirectories(work.resolve("home"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));

        ProcessBuilder builder = new ProcessBuilder(python(), script().toString(),
                "--jid", echoAccount + "/slixmpp",
                "--host", "127.0.0.1",
                "--port", Integer.toString(parley.c2sPort()),
                "--ca-file", caFile.toString(),
                "--timeout", "30")
                .redirectErrorStream(true)
                .directory(work.toFile());
        builder.environment().put("XMPP_PASSWORD", ParleyServerExtension.PASSWORD);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");

        Process process = builder.start();
        try {
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = collect(process, output);
            String ready = await("slixmpp prints READY").atMost(PROCESS_TIMEOUT)
                    .failFast(() -> assertThat(reader.isAlive()
                            || output.stream().anyMatch(line -> line.startsWith("READY ")))
                            .as("slixmpp exited before READY; its output: %s", output).isTrue())
                    .until(() -> output.stream().filter(line -> line.startsWith("READY ")).findFirst(),
                            Optional::isPresent)
                    .get();
            var slixmppJid = JidCreate.entityFullFrom(ready.substring("READY ".length()).trim());
            assertThat(slixmppJid.asEntityBareJid().toString()).isEqualTo(echoAccount.toString());

            XmppClient romeo = parley.loggedIn("romeo");
            romeo.sendsChat(slixmppJid, "O, speak again, bright angel!");

            romeo.receivesChat(slixmppJid, "echo: O, speak again, bright angel!");
            assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("slixmpp exits after answering").isTrue();
            assertThat(process.exitValue()).as("slixmpp exit status; output: %s", output).isZero();
            assertThat(output).contains("OK");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Reads the process output line by line into {@code lines}, on a daemon thread that ends with the output. */
    private static Thread collect(Process process, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process was killed; what was read is enough for the assertions.
            }
        }, "slixmpp-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Debian's interpreter, which has python3-slixmpp; a PATH python (pyenv, venv) may not. */
    private static String python() {
        return System.getProperty("parley.python", "/usr/bin/python3");
    }

    private static Path script() {
        return Path.of(System.getProperty("parley.slixmpp.script", "src/test/python/slixmpp_echo.py"))
                .toAbsolutePath();
    }
}
