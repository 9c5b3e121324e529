package im.parley.sinttest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smack's own integration test framework (smack-integration-test 4.5.0-beta5) against Parley:
 * every test that applies to what Parley implements must pass (RFC 6120, RFC 6121 and the XEPs
 * Parley serves); what does not apply is disabled with a reason in {@link SinttestPlan}.
 *
 * <p>The framework always connects to port 5222 of its host, which other software may hold on
 * a CI machine. So the run happens in a child JVM inside a private network namespace
 * ({@code unshare -n}, as root), where Parley owns {@code 127.0.0.1:5222}. The list of tests
 * that passed, failed, were not possible or disabled lands in
 * {@code target/sinttest-summary.txt}; the child's log in {@code target/sinttest-output.log}.
 */
class SmackIntegrationTestsTest {

    private static final long RUN_LIMIT_SECONDS = 240;

    @Test
    @Timeout(value = RUN_LIMIT_SECONDS + 30, unit = TimeUnit.SECONDS)
    void everyApplicableSmackIntegrationTestPasses(@TempDir Path work) throws Exception {
        Path target = Path.of(System.getProperty("sinttest.outputDirectory", "target"));
        Files.createDirectories(target);
        Path summaryFile = target.resolve("sinttest-summary.txt");
        Path log = target.resolve("sinttest-output.log");
        Files.deleteIfExists(summaryFile);

        Process child;
        try {
            child = new ProcessBuilder(command(work, summaryFile))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run unshare: install the Debian package util-linux", e);
        }
        int status;
        try {
            boolean ended = child.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
            assertThat(ended).as("the sinttest run ended within %d s; log: %s", RUN_LIMIT_SECONDS, log).isTrue();
            status = child.exitValue();
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }

        assertThat(summaryFile).as("summary written (exit status %d); log tail:%n%s", status, tail(log)).exists();
        String summary = Files.readString(summaryFile);
        System.out.println(summary);
        assertThat(status).as("Smack integration tests against Parley:%n%s", summary).isZero();
    }

    /**
     * {@code unshare -n}: a network namespace of its own, with only a loopback interface. The
     * framework's {@code sinttest.*} properties given to Maven pass through, so one test class
     * can be run alone or with the stanza debugger.
     */
    private static List<String> command(Path work, Path summaryFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("unshare", "-n", "sh", "-c",
                "command -v ip >/dev/null || { echo 'no ip command: install the Debian package iproute2'; exit 127; }"
                        + " && ip link set lo up && exec \"$0\" \"$@\"", java, "-cp", testClassPath(),
                "-Djava.io.tmpdir=" + work));
        // e.g. mvn ... -Dsinttest.enabledTests=RosterIntegrationTest -Dsinttest.debugger=console
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("sinttest.") && !name.equals("sinttest.outputDirectory"))
                .sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of(SinttestMain.class.getName(), work.toString(), summaryFile.toString()));
        return command;
    }

    /** Surefire runs tests from a manifest-only jar; it publishes the real class path here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join(File.separator.equals("/") ? "\n" : "\r\n",
                lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
