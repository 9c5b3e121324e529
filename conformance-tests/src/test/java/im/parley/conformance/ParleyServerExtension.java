package im.parley.conformance;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.sdk.Transport;
import im.parley.server.ParleyServer;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Starts one in-process {@link ParleyServer} per test class on 127.0.0.1 with ephemeral ports
 * and a temporary data directory, and hands out accounts and connected clients. Register it as
 * a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParleyServerExtension parley = new ParleyServerExtension();
 * }</pre>
 *
 * <p>Tests in one class share the server, so each test creates its own accounts
 * ({@link #newAccount(String)} numbers them) and nothing leaks between tests. Clients opened
 * through the extension are closed after each test. The data directory plays the role of a
 * {@code @TempDir}: a static extension exists before JUnit injects fields, so it makes and
 * deletes the directory itself.
 */
public final class ParleyServerExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    public static final String DOMAIN = "parley.test";
    public static final String PASSWORD = "correct horse battery staple";

    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private final Function<ParleyConfig, ParleyConfig> customize;
    private final List<AutoCloseable> openClients = new ArrayList<>();
    private Path dataDir;
    private ParleyServer server;

    public ParleyServerExtension() {
        this((Function<ParleyConfig, ParleyConfig>) Function.<ParleyConfig>identity());
    }

    /** A server whose limits are the defaults changed by {@code limits} (e.g. short timeouts). */
    public ParleyServerExtension(UnaryOperator<LimitsConfig> limits) {
        this((Function<ParleyConfig, ParleyConfig>) config -> config.withLimits(limits.apply(config.limits())));
    }

    private ParleyServerExtension(Function<ParleyConfig, ParleyConfig> customize) {
        this.customize = customize;
    }

    /** A server whose test configuration is changed by {@code customize} (e.g. another TLS provider). */
    public static ParleyServerExtension configured(UnaryOperator<ParleyConfig> customize) {
        return new ParleyServerExtension((Function<ParleyConfig, ParleyConfig>) customize);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("parley-conformance-");
        ParleyConfig config = ParleyConfig.defaults()
                .withDomains(List.of(DOMAIN))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.on("127.0.0.1", 0))
                .withHttp(ListenerConfig.off("127.0.0.1", 0));
        server = new ParleyServer(customize.apply(config));
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closeClients();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeClients();
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    public ParleyServer server() {
        return server;
    }

    public int c2sPort() {
        return server.c2sPort();
    }

    public int directTlsPort() {
        return server.directTlsPort();
    }

    /** The self-signed certificate {@value #DOMAIN} presents: the only one clients trust. */
    public X509Certificate certificate() {
        return server.certificate(DOMAIN);
    }

    /** An SSL context (JDK provider) that trusts exactly the server's certificate. */
    public SSLContext trustingSslContext() {
        return PinnedTrust.sslContext(certificate());
    }

    /** Creates a fresh account {@code <prefix>-<n>@parley.test} with {@link #PASSWORD}. */
    public EntityBareJid newAccount(String prefix) {
        return newAccount(prefix, PASSWORD);
    }

    public EntityBareJid newAccount(String prefix, String password) {
        try {
            EntityBareJid jid = JidCreate.entityBareFrom(prefix + "-" + ACCOUNTS.incrementAndGet() + "@" + DOMAIN);
            server.accounts().create(jid, password);
            return jid;
        } catch (Exception e) {
            throw new IllegalStateException("could not create an account", e);
        }
    }

    /** A fresh account, logged in with Smack over STARTTLS, with initial presence sent. */
    public XmppClient loggedIn(String prefix) {
        return connect(SmackClients.startTls(this, newAccount(prefix), PASSWORD, null));
    }

    /** Connects and logs in a Smack configuration; the client is closed after the test. */
    public XmppClient connect(org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration configuration) {
        XmppClient client = XmppClient.connect(configuration);
        openClients.add(client);
        return client;
    }

    /**
     * A resource of {@code account} logged in with Smack that sent available presence at
     * {@code priority}, and whose presence the server has processed (a ping round trip after it).
     */
    public XmppClient availableResource(EntityBareJid account, String resource, int priority) {
        XmppClient client = connect(SmackClients.startTls(this, account, PASSWORD, resource));
        client.sendsPresence(priority);
        try {
            client.requests(new Ping(JidCreate.domainBareFrom(DOMAIN)));
        } catch (Exception e) {
            throw new IllegalStateException("the server did not answer a ping", e);
        }
        return client;
    }

    /** A fresh account, logged in with the client SDK over STARTTLS (initial presence sent). */
    public SdkUser sdkLoggedIn(String prefix) {
        return sdkUser(newAccount(prefix)).logsIn();
    }

    /** An SDK client for {@code account} over STARTTLS, not yet logged in; closed after the test. */
    public SdkUser sdkUser(EntityBareJid account) {
        return track(SdkUser.of(this, account, Transport.startTls("127.0.0.1", c2sPort())));
    }

    /** A fresh account, logged in with the client SDK over direct TLS (XEP-0368). */
    public SdkUser sdkLoggedInOverDirectTls(String prefix) {
        return track(SdkUser.of(this, newAccount(prefix), Transport.directTls("127.0.0.1", directTlsPort()))).logsIn();
    }

    /** A raw socket client on the STARTTLS port; closed after the test. */
    public RawXmppClient raw() {
        return track(RawXmppClient.connect("127.0.0.1", c2sPort(), certificate()));
    }

    /** A raw client on the direct TLS port (XEP-0368), TLS already negotiated; closed after the test. */
    public RawXmppClient rawDirectTls() {
        return track(RawXmppClient.connectDirectTls("127.0.0.1", directTlsPort(), certificate(), DOMAIN));
    }

    /** Closes the client when the test ends, whatever the outcome. */
    public <T extends AutoCloseable> T track(T client) {
        openClients.add(client);
        return client;
    }

    private void closeClients() {
        for (AutoCloseable client : openClients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // Best effort: a test may have provoked the server into closing it already.
            }
        }
        openClients.clear();
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw new UncheckedIOException(exc);
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
