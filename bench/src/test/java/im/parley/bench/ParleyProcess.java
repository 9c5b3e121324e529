package im.parley.bench;

import static org.awaitility.Awaitility.await;

import im.parley.bench.users.ParleyArchiveFill;
import im.parley.bench.users.ParleyBulkUsers;
import im.parley.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Parley server in a child JVM, as the benchmark script runs it: its own process, so its CPU
 * and RSS can be sampled from /proc like any other server's.
 */
final class ParleyProcess implements AutoCloseable {
    static final String DOMAIN = "bench.test";
    static final String PASSWORD = "pw";
    /** Accounts {@code soak1..N} are the soak's own, so that its rosters meet no other scenario's. */
    static final String SOAK_PREFIX = "soak";
    /** The archive of {@code user1}, with {@code user2 … user11}, for the MAM scenario. */
    static final int ARCHIVED = 1000;
    static final int ARCHIVE_CONTACTS = 10;

    private final Process process;
    private final int port;
    private final int directTlsPort;
    private final int httpPort;

    private ParleyProcess(Process process, int port, int directTlsPort, int httpPort) {
        this.process = process;
        this.port = port;
        this.directTlsPort = directTlsPort;
        this.httpPort = httpPort;
    }

    /**
     * Creates {@code users} accounts {@code user1..N} and as many {@code soak1..N}, fills the
     * archive of {@code user1} with {@link #ARCHIVED} messages, starts the
     * server and waits until c2s accepts connections. Besides c2s it listens for direct TLS and
     * HTTP (BOSH, WebSocket), with a short body deadline so that the soak's stalled requests get
     * their 408 within seconds.
     */
    static ParleyProcess start(Path dir, int users) throws Exception {
        int port = freePort();
        int directTlsPort = freePort();
        int httpPort = freePort();
        Path config = dir.resolve("parley.yml");
        Files.writeString(config, String.join("\n",
                "domains: [\"" + DOMAIN + "\"]",
                "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s:",
                "  address: \"127.0.0.1\"",
                "  port: " + port,
                "direct_tls:",
                "  address: \"127.0.0.1\"",
                "  port: " + directTlsPort,
                "http:",
                "  enabled: true",
                "  address: \"127.0.0.1\"",
                "  port: " + httpPort,
                "  body_timeout: 2s",
                "tls:",
                "  starttls_required: false",
                ""));
        ParleyBulkUsers.create(ConfigLoader.load(config), DOMAIN, "user", users, PASSWORD);
        ParleyBulkUsers.create(ConfigLoader.load(config), DOMAIN, SOAK_PREFIX, users, PASSWORD);
        ParleyArchiveFill.fill(ConfigLoader.load(config), DOMAIN, "user", ARCHIVED, ARCHIVE_CONTACTS, Duration.ofDays(2));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "im.parley.server.cli.ParleyMain", "run", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("parley.log").toFile())
                .start();
        ParleyProcess parley = new ParleyProcess(process, port, directTlsPort, httpPort);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || accepts(port));
        if (!process.isAlive()) {
            throw new IllegalStateException("Parley exited: " + Files.readString(dir.resolve("parley.log")));
        }
        return parley;
    }

    int port() {
        return port;
    }

    int directTlsPort() {
        return directTlsPort;
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
