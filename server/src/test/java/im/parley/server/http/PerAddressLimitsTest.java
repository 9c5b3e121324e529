package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 4: one client address cannot take what all clients share. Before, one address
 * took all of {@code bosh.max_sessions} in 11 s and locked everyone else out, and could open any
 * number of connections. Clients are distinct addresses of 127.0.0.0/8; 127.0.0.4 plays a
 * trusted reverse proxy.
 */
class PerAddressLimitsTest {

    private static final String PROXY = "127.0.0.4";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String HOST_META = "GET /.well-known/host-meta HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    static Path dir;
    private static HttpListener server;
    private final List<RawHttpConnection> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = HttpListener.start(dir, web -> web
                .withLimits(web.limits().withMaxConnectionsPerAddress(3).withTrustedProxies(List.of(PROXY)))
                .withBosh(web.bosh().withMaxSessionsPerAddress(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (RawHttpConnection client : open) {
            client.close();
        }
        open.clear();
    }

    @Test
    void connectionBeyondThePerAddressLimitIsClosedAtOnce() throws Exception {
        List<RawHttpConnection> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(served("127.0.0.2"));
        }
        RawHttpConnection fourth = connect("127.0.0.2");
        assertThat(fourth.awaitClosed(BOUND)).as("closed before any request").isTrue();
        served("127.0.0.3");

        first.get(0).close();
        await().atMost(BOUND).until(() -> server.connectionsFrom("127.0.0.2") == 2);
        served("127.0.0.2");
    }

    @Test
    void trustedProxyIsNotLimitedPerAddress() throws Exception {
        for (int i = 0; i < 5; i++) {
            served(PROXY);
        }
    }

    /** XEP-0124 §17.1: {@code policy-violation}, the client broke the session rules. */
    @Test
    void boshSessionBeyondThePerAddressLimitGetsPolicyViolation() throws Exception {
        assertThat(createSession("127.0.0.5", null)).contains("authid=").doesNotContain("terminate");
        assertThat(createSession("127.0.0.5", null)).contains("authid=").doesNotContain("terminate");
        assertThat(createSession("127.0.0.5", null)).contains("type='terminate'")
                .contains("condition='policy-violation'");
        assertThat(createSession("127.0.0.6", null)).as("another address").contains("authid=");
    }

    @Test
    void boshSessionsThroughATrustedProxyCountAgainstTheForwardedAddress() throws Exception {
        String forwarded = "198.51.100.7, 203.0.113.9";
        assertThat(createSession(PROXY, forwarded)).contains("authid=");
        assertThat(createSession(PROXY, forwarded)).contains("authid=");
        assertThat(createSession(PROXY, forwarded)).contains("condition='policy-violation'");
        assertThat(createSession(PROXY, "198.51.100.7, 203.0.113.10")).as("another client behind the proxy")
                .contains("authid=");
    }

    /** A connection from {@code address}, proven served by a keep-alive request, left open. */
    private RawHttpConnection served(String address) throws Exception {
        RawHttpConnection client = connect(address);
        client.send(HOST_META);
        assertThat(client.readResponse(BOUND).status()).isEqualTo(200);
        return client;
    }

    private RawHttpConnection connect(String address) throws Exception {
        RawHttpConnection client = RawHttpConnection.open(address, server.port());
        open.add(client);
        return client;
    }

    private String createSession(String address, String forwardedFor) throws Exception {
        String body = "<body rid='100' to='" + HttpListener.DOMAIN + "' wait='30' hold='1' xmpp:version='1.0' "
                + "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
        try (RawHttpConnection client = RawHttpConnection.open(address, server.port())) {
            client.send("POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
            RawHttpConnection.Response response = client.readResponse(BOUND);
            assertThat(response.status()).isEqualTo(200);
            return response.body();
        }
    }
}
