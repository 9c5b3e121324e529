package im.parley.conformance.bosh;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.PinnedTrust;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.server.ParleyServer;
import im.parley.server.config.HttpConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * An in-process Parley per test class with the TCP listeners and the plain HTTP listener
 * (BOSH, WebSocket, host-meta) on ephemeral loopback ports. Plain HTTP is treated as secure
 * ({@code http.consider_secure}), as for a loopback client behind a TLS proxy, so SASL PLAIN is
 * offered as over TLS. Register it as a static field with {@code @RegisterExtension}.
 */
public final class HttpParley implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    public static final String DOMAIN = ParleyServerExtension.DOMAIN;
    public static final String PASSWORD = ParleyServerExtension.PASSWORD;
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private final UnaryOperator<HttpConfig> web;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path dataDir;
    private ParleyServer server;

    public HttpParley() {
        this(UnaryOperator.identity());
    }

    /** A server whose HTTP settings are the test defaults changed by {@code web}. */
    public HttpParley(UnaryOperator<HttpConfig> web) {
        this.web = web;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("parley-http-");
        ParleyConfig config = ParleyConfig.defaults()
                .withDomains(List.of(DOMAIN))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0))
                .withWeb(web.apply(HttpConfig.defaults().withConsiderSecure(true)
                        .withCorsOrigins(List.of("http://allowed.example"))));
        server = new ParleyServer(config);
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        closeAll();
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    public ParleyServer server() {
        return server;
    }

    public String boshUrl() {
        return "http://127.0.0.1:" + server.httpPort() + "/http-bind";
    }

    public String websocketUrl() {
        return "ws://127.0.0.1:" + server.httpPort() + "/xmpp-websocket";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** A fresh account {@code <prefix>-<n>@parley.test} with {@link #PASSWORD}. */
    public EntityBareJid newAccount(String prefix) {
        try {
            EntityBareJid jid = JidCreate.entityBareFrom(prefix + "-h" + ACCOUNTS.incrementAndGet() + "@" + DOMAIN);
            server.accounts().create(jid, PASSWORD);
            return jid;
        } catch (Exception e) {
            throw new IllegalStateException("could not create an account", e);
        }
    }

    /** A fresh account logged in with Smack over STARTTLS; closed after the test. */
    public XmppClient tcpClient(String prefix) {
        return tcpClient(newAccount(prefix));
    }

    public XmppClient tcpClient(EntityBareJid account) {
        try {
            return track(XmppClient.connect(XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(DOMAIN)
                    .setHostAddress(InetAddress.getByName("127.0.0.1"))
                    .setPort(server.c2sPort())
                    .setUsernameAndPassword(account.getLocalpart().toString(), PASSWORD)
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(PinnedTrust.trustManager(server.certificate(DOMAIN)))
                    .setCompressionEnabled(false)
                    .build()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw socket client on the STARTTLS port, for what Smack cannot parse; closed after the test. */
    public RawXmppClient raw() {
        return track(RawXmppClient.connect("127.0.0.1", server.c2sPort(), server.certificate(DOMAIN)));
    }

    /** Closes the client after the test, whatever the outcome. */
    public <T extends AutoCloseable> T track(T client) {
        open.add(client);
        return client;
    }

    private void closeAll() {
        for (AutoCloseable client : open) {
            try {
                client.close();
            } catch (Exception ignored) {
                // Best effort: the server may have ended the session already.
            }
        }
        open.clear();
    }

    /** TLS sockets that trust exactly the server's certificate. */
    public javax.net.ssl.SSLSocketFactory trustingSocketFactory() {
        return PinnedTrust.sslContext(server.certificate(DOMAIN)).getSocketFactory();
    }
}
