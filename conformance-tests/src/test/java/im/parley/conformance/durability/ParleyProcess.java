package im.parley.conformance.durability;

import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.cli.ParleyMain;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Parley server in its own JVM, started the way {@code bin/parley run} starts it, so that a
 * test can end it as a crash would ({@code kill -9}) and start it again on the same data
 * directory. Configuration: one domain, c2s with STARTTLS on a free loopback port, nothing else.
 */
final class ParleyProcess implements AutoCloseable {

    static final String DOMAIN = "durable.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;
    private int starts;

    private ParleyProcess(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /** Writes the configuration into {@code dir}; nothing runs yet. */
    static ParleyProcess in(Path dir) throws IOException {
        int port = freePort();
        Path config = dir.resolve("parley.yml");
        Files.writeString(config, String.join("\n",
                "domains: [\"" + DOMAIN + "\"]",
                "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s:",
                "  address: \"127.0.0.1\"",
                "  port: " + port,
                "direct_tls:",
                "  enabled: false",
                "s2s:",
                "  enabled: false",
                ""));
        return new ParleyProcess(dir, config, port);
    }

    /** Creates an account while the server is stopped, as {@code parley adduser} does. */
    void addUser(String username, String password) throws Exception {
        ParleyConfig parsed = ConfigLoader.load(config);
        try (Database database = Database.open(parsed.storage(), parsed.dataDir())) {
            new AccountService(new JdbcAccountStore(database.dataSource()))
                    .create(Jids.parseEntityBare(username + "@" + DOMAIN), password);
        }
    }

    /** Starts the server and waits until its c2s port accepts connections. */
    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("parley-" + (++starts) + ".log");
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ParleyMain.class.getName(), "run", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> !process.isAlive() || accepts(port));
        if (!process.isAlive()) {
            throw new IllegalStateException("Parley exited: " + Files.readString(log));
        }
    }

    /** Ends the server as a crash would: SIGKILL, no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server survived SIGKILL");
        }
    }

    int port() {
        return port;
    }

    /** The self-signed certificate the server generated for {@link #DOMAIN} on first start. */
    X509Certificate certificate() {
        try (InputStream in = new ByteArrayInputStream(
                Files.readAllBytes(dir.resolve("data").resolve("certs").resolve(DOMAIN + ".crt")))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
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
