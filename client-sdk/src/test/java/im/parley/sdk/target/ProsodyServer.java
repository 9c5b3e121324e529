package im.parley.sdk.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real Prosody (Debian package {@code prosody}) on free loopback ports, run by
 * {@code src/test/prosody/run-prosody.sh} as a child process with its own data directory and
 * TMPDIR, both deleted on {@link #close()}. A missing Prosody fails the test: the SDK must
 * prove it works with a server that is not ours.
 */
public final class ProsodyServer implements AutoCloseable {
    public static final String DOMAIN = "prosody.test";
    public static final String HOST = "127.0.0.1";

    private final Path dir;
    private final Process process;
    private final int c2sPort;
    private final int directTlsPort;
    private final int httpPort;

    private ProsodyServer(Path dir, Process process, int c2sPort, int directTlsPort, int httpPort) {
        this.dir = dir;
        this.process = process;
        this.c2sPort = c2sPort;
        this.directTlsPort = directTlsPort;
        this.httpPort = httpPort;
    }

    /** Starts Prosody and waits until all its listeners accept connections. */
    public static ProsodyServer start() throws IOException {
        Path script = Path.of("src/test/prosody/run-prosody.sh").toAbsolutePath();
        Path dir = Files.createTempDirectory("sdk-prosody");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        int c2s = freePort();
        int directTls = freePort();
        int http = freePort();
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), dir.resolve("prosody").toString(),
                DOMAIN, HOST, Integer.toString(c2s), Integer.toString(directTls), Integer.toString(http))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        ProsodyServer server = new ProsodyServer(dir, process, c2s, directTls, http);
        try {
            Awaitility.await("Prosody listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Prosody exited with " + process.exitValue() + ": "
                                    + Files.readString(dir.resolve("console.log")));
                        }
                        return listening(c2s) && listening(directTls) && listening(http);
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int c2sPort() {
        return c2sPort;
    }

    public int directTlsPort() {
        return directTlsPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The self-signed certificate the script generated. */
    public X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(dir.resolve("prosody/certs/" + DOMAIN + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates an account the way Prosody's internal_plain storage keeps it (one Lua file per
     * account, names %-encoded), which it reads at each login: much faster than prosodyctl.
     */
    public EntityBareJid createUser(String localpart, String password) {
        if (!localpart.matches("[a-z0-9]+") || password.matches(".*[\"\\\\\\n].*")) {
            throw new IllegalArgumentException("keep test account names [a-z0-9]+ and passwords simple");
        }
        Path accounts = dir.resolve("prosody/data/" + encode(DOMAIN) + "/accounts");
        try {
            Files.createDirectories(accounts);
            Files.writeString(accounts.resolve(localpart + ".dat"),
                    "return {\n\t[\"password\"] = \"" + password + "\";\n};\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JidCreate.entityBareFromOrThrowUnchecked(localpart + "@" + DOMAIN);
    }

    /** Target over one transport. */
    public Target target(Target.Kind kind) {
        int port = switch (kind) {
            case STARTTLS -> c2sPort;
            case DIRECT_TLS -> directTlsPort;
            case BOSH -> httpPort;
        };
        return new Target("Prosody", DOMAIN, kind, HOST, port, certificate(), this::createUser);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String name) {
        StringBuilder encoded = new StringBuilder();
        for (char c : name.toCharArray()) {
            encoded.append(Character.isLetterOrDigit(c) && c < 128 ? String.valueOf(c) : String.format("%%%02x", (int) c));
        }
        return encoded.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
