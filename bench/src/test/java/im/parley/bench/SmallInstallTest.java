package im.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.SaslMechanismChoice;
import im.parley.bench.scenario.BenchContext;
import im.parley.bench.scenario.ScenarioResult;
import im.parley.bench.scenario.ServerLaunch;
import im.parley.bench.scenario.SmallInstallScenario;
import im.parley.bench.users.ParleyBulkUsers;
import im.parley.server.config.ConfigLoader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-install benchmark (issue 19) against {@code bin/parley} as a user starts it, and the
 * launcher's class data sharing archive: written when the first {@code parley run} stops, and a
 * broken one never stops the next start.
 */
class SmallInstallTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "parley").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void measuresStartLoginAndChatAndTheLauncherSurvivesABrokenArchive() throws Exception {
        int port = freePort();
        Path config = dir.resolve("parley.yml");
        Files.writeString(config, String.join("\n", "domains: [\"bench.test\"]", "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s:", "  port: " + port, "direct_tls:", "  port: " + freePort(), "http:", "  port: " + freePort(), ""));
        ParleyBulkUsers.create(ConfigLoader.load(config), "bench.test", "user", 2, "pw");
        Path cds = dir.resolve("cds");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        String tmpdir = "-Djava.io.tmpdir=" + tmp;

        ScenarioResult chat = run(cds, config, port, 2, tmpdir);

        assertThat(chat.figures()).containsKeys("port_ms", "first_login_ms", "cpu_s_to_ready", "rss_idle_mb",
                "rss_chat_end_mb");
        assertThat(((Number) chat.figures().get("messages_sent")).longValue()).isPositive();
        assertThat(chat.figures().get("messages_received")).isEqualTo(chat.figures().get("messages_sent"));
        // The first run had no archive, so it wrote one as it stopped.
        Path written = onlyArchive(cds);
        assertThat(written.getFileName().toString()).matches(".*\\.(jsa|aot)\\.new");

        Path rocksLibrary = onlyFile(dir.resolve("data").resolve("native"));
        Object rocksLibraryKey = Files.readAttributes(rocksLibrary, BasicFileAttributes.class).fileKey();

        // As if the server had been killed while writing it: half an archive.
        try (RandomAccessFile file = new RandomAccessFile(written.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        Path classes = dir.resolve("classes.log");
        ScenarioResult start = run(cds, config, port, 0, tmpdir, "-Xlog:class+load:file=" + classes);

        assertThat(start.figures()).containsKey("port_ms").containsEntry("server_alive", true);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
        // RocksDB's native library (the archive index) is copied into data_dir once, never into
        // the temporary directory at each start (where every killed server left 15 MB).
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("rocksdb"));
        }
        assertThat(onlyFile(dir.resolve("data").resolve("native"))).as("the restart loaded the first start's copy")
                .isEqualTo(rocksLibrary);
        assertThat(Files.readAttributes(rocksLibrary, BasicFileAttributes.class).fileKey()).isEqualTo(rocksLibraryKey);
        assertThat(Files.readString(dir.resolve("console.log"))).doesNotContain("loading it RocksDB's way");
        // A restart (certificate and schema in place, metrics off) loads none of what no client needs yet.
        try (Stream<String> lines = Files.lines(classes)) {
            assertThat(lines.filter(line -> line.contains(" source: ")).map(line -> line.split(" ")[1]))
                    .isNotEmpty()
                    .noneMatch(name -> name.startsWith("org.bouncycastle.") || name.startsWith("org.flywaydb.")
                            || name.startsWith("io.prometheus.") || name.startsWith("ch.qos.logback.classic.joran.")
                            || name.startsWith("ch.qos.logback.core.joran.action.")
                            || name.startsWith("com.hazelcast.") || name.startsWith("io.micrometer.core.instrument.binder."));
        }
    }

    private ScenarioResult run(Path cds, Path config, int port, int users, String... javaOpts)
            throws InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerLaunch launch = new ServerLaunch(List.of("env", "JAVA=" + java, "PARLEY_CDS_DIR=" + cds,
                "JAVA_OPTS=" + String.join(" ", javaOpts), LAUNCHER.toString(), "run", "--config", config.toString()),
                dir, dir.resolve("console.log"),
                new InetSocketAddress("127.0.0.1", port), 180);
        ClientOptions clients = new ClientOptions(new InetSocketAddress("127.0.0.1", port), "bench.test", List.of(),
                "user", "pw", false, SaslMechanismChoice.fromWireName("PLAIN"), true, true, false);
        return new SmallInstallScenario(launch, users, 0, 0.05, 1, true)
                .run(new BenchContext("parley", clients, 1, null, dir));
    }

    private static Path onlyArchive(Path cds) throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            List<Path> archives = files.filter(p -> p.toString().matches(".*\\.(jsa|aot).*")).toList();
            assertThat(archives).hasSize(1);
            return archives.get(0);
        }
    }

    /** The one file in the one directory under {@code parent}. */
    private static Path onlyFile(Path parent) throws IOException {
        try (Stream<Path> directories = Files.list(parent)) {
            List<Path> all = directories.toList();
            assertThat(all).hasSize(1);
            try (Stream<Path> files = Files.list(all.get(0))) {
                List<Path> inside = files.toList();
                assertThat(inside).hasSize(1);
                return inside.get(0);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
