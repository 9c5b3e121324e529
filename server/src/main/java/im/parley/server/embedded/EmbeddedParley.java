package im.parley.server.embedded;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.net.ByteRate;
import im.parley.server.ParleyServer;
import im.parley.server.account.AccountExistsException;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.register.RegisterModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jxmpp.jid.EntityBareJid;

/**
 * A real Parley server running in the calling JVM, for application tests: the same server as
 * {@code parley run}, bound to free ports on {@code 127.0.0.1}, with its data (embedded H2 and
 * self-signed certificates) in a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedParley parley = EmbeddedParley.builder()
 *         .domain("example.test")
 *         .user("alice", "secret")
 *         .start()) {
 *     int port = parley.c2sPort();                      // STARTTLS (RFC 6120 §5)
 *     X509Certificate cert = parley.certificate();     // pin it in the client
 * }
 * }</pre>
 */
public final class EmbeddedParley implements AutoCloseable {

    /** The address every listener binds to. */
    public static final String HOST = "127.0.0.1";

    private final ParleyServer server;
    private final Path dataDir;
    private final List<String> domains;

    private EmbeddedParley(ParleyServer server, Path dataDir, List<String> domains) {
        this.server = server;
        this.dataDir = dataDir;
        this.domains = domains;
    }

    /** Starts describing a server; {@link Builder#start()} runs it. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loopback address the listeners are bound to. */
    public String host() {
        return HOST;
    }

    /** The first hosted domain. */
    public String domain() {
        return domains.get(0);
    }

    /** All hosted domains, in the order given. */
    public List<String> domains() {
        return domains;
    }

    /** The c2s port, where clients negotiate STARTTLS (RFC 6120 §5). */
    public int c2sPort() {
        return server.c2sPort();
    }

    /** The direct TLS port, where TLS starts before the XML stream (XEP-0368). */
    public int directTlsPort() {
        return server.directTlsPort();
    }

    /** The BOSH endpoint (XEP-0206) on plain HTTP over loopback. */
    public URI boshUrl() {
        return URI.create("http://" + HOST + ":" + server.httpPort() + "/http-bind");
    }

    /** The WebSocket endpoint (RFC 7395) on plain HTTP over loopback. */
    public URI webSocketUrl() {
        return URI.create("ws://" + HOST + ":" + server.httpPort() + "/xmpp-websocket");
    }

    /** The self-signed certificate of the first domain, for clients to pin. */
    public X509Certificate certificate() {
        return server.certificate(domain());
    }

    /** The self-signed certificate of a hosted domain, for clients to pin. */
    public X509Certificate certificate(String domain) {
        return server.certificate(domain);
    }

    /**
     * Creates an account while the server runs.
     *
     * @param user a localpart ({@code alice}, on the first domain) or a bare JID
     *     ({@code alice@example.test})
     * @return the account's JID
     * @throws IllegalArgumentException if the JID is malformed, its domain is not hosted, or
     *     the account exists
     */
    public EntityBareJid createUser(String user, String password) {
        EntityBareJid jid = jidOf(user);
        if (!domains.contains(jid.getDomain().toString())) {
            throw new IllegalArgumentException("not a hosted domain: " + jid.getDomain());
        }
        try {
            server.accounts().create(jid, password);
        } catch (AccountExistsException e) {
            throw new IllegalArgumentException("account exists: " + jid, e);
        }
        return jid;
    }

    /** The temporary data directory (database, certificates); {@link #close()} deletes it. */
    public Path dataDir() {
        return dataDir;
    }

    /** The server underneath, for tests that need more than this class offers. */
    public ParleyServer server() {
        return server;
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private EntityBareJid jidOf(String user) {
        String jid = user.contains("@") ? user : user + "@" + domain();
        try {
            return Jids.parseEntityBare(jid);
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** Describes an {@link EmbeddedParley}: its domains and initial users. */
    public static final class Builder {
        private final List<String> domains = new ArrayList<>();
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean registration;

        private Builder() {
        }

        /** Lets clients create accounts themselves (XEP-0077 in-band registration); off by default. */
        public Builder allowRegistration() {
            registration = true;
            return this;
        }

        /** Adds a hosted domain; without any, the server hosts {@code localhost}. */
        public Builder domain(String domain) {
            domains.add(domain);
            return this;
        }

        /**
         * Adds an account created at start.
         *
         * @param user a localpart on the first domain, or a bare JID
         */
        public Builder user(String user, String password) {
            users.put(user, password);
            return this;
        }

        /** Starts the server; it listens once this returns. */
        public EmbeddedParley start() {
            List<String> hosted = domains.isEmpty() ? List.of("localhost") : List.copyOf(domains);
            Path dataDir = null;
            ParleyServer server = null;
            try {
                dataDir = Files.createTempDirectory("parley-embedded");
                server = new ParleyServer(config(hosted, dataDir, registration));
                server.start();
                EmbeddedParley parley = new EmbeddedParley(server, dataDir, hosted);
                users.forEach(parley::createUser);
                return parley;
            } catch (Exception e) {
                if (server != null) {
                    server.close();
                }
                if (dataDir != null) {
                    deleteRecursively(dataDir);
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("embedded Parley did not start: " + e.getMessage(), e);
            }
        }

        private static ParleyConfig config(List<String> hosted, Path dataDir, boolean registration) {
            ParleyConfig defaults = ParleyConfig.defaults();
            // Tests try wrong passwords on purpose; the production throttle would lock them out.
            // They also send as fast as they can, which the production read rates would slow down.
            LimitsConfig limits = defaults.limits();
            LimitsConfig lenient = limits.withMaxAuthFailures(10_000).withAuthFailureWindow(Duration.ofMinutes(1))
                    .withInput(limits.input().withC2sRead(ByteRate.UNLIMITED).withS2sRead(ByteRate.UNLIMITED));
            // Tests register many accounts from one address: no per-address limit.
            return defaults.withDomains(hosted)
                    .with(RegisterModule.ENABLED, registration)
                    .with(RegisterModule.MAX_PER_ADDRESS, 10_000)
                    .with(RegisterModule.WINDOW, Duration.ofMinutes(1))
                    .with(RegisterModule.MAX_PER_CONNECTION, 100)
                    .withDataDir(dataDir)
                    .withC2s(ListenerConfig.on(HOST, 0))
                    .withDirectTls(ListenerConfig.on(HOST, 0))
                    // BOSH and WebSocket on plain HTTP over loopback, treated as secure the way
                    // a TLS-terminating proxy in front of a production server would be.
                    .withHttp(ListenerConfig.on(HOST, 0))
                    .withWeb(defaults.web().withConsiderSecure(true))
                    .withLimits(lenient);
        }
    }
}
