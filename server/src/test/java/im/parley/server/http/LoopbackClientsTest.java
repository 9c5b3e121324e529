package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default HTTP listener is on loopback, with {@code http.consider_secure} off and
 * {@code tls.starttls_required} on: a client on the same machine that connects straight to it
 * counts as secure and may log in (XEP-0206 §4: {@code secure='true'}), as on ejabberd's default
 * loopback listener; a request a proxy forwards ({@code X-Forwarded-For}) does not, and gets no
 * SASL mechanism before TLS (RFC 6120 §5.3.1).
 */
class LoopbackClientsTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static HttpListener server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpListener.start(dir, web -> web.withConsiderSecure(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void boshStraightFromLoopbackIsSecureAndOffersSasl() throws Exception {
        String response = createSession(null);
        assertThat(response).containsPattern("secure=['\"]true['\"]").contains("<mechanism>SCRAM-SHA-256</mechanism>")
                .doesNotContain("-PLUS");
    }

    @Test
    void boshForwardedByAProxyIsNotSecureWithoutConsiderSecure() throws Exception {
        String response = createSession("203.0.113.5");
        assertThat(response).containsPattern("secure=['\"]false['\"]").doesNotContain("<mechanism>");
    }

    @Test
    void webSocketStraightFromLoopbackOffersSasl() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            client.sendFrame(RawHttpConnection.Frame.TEXT, ("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='"
                    + HttpListener.DOMAIN + "' version='1.0'/>").getBytes(StandardCharsets.UTF_8));
            StringBuilder received = new StringBuilder();
            while (!received.toString().contains("</stream:features>")) {
                received.append(new String(client.readFrame(BOUND).payload(), StandardCharsets.UTF_8));
            }
            assertThat(received.toString()).contains("<mechanism>SCRAM-SHA-256</mechanism>");
        }
    }

    private String createSession(String forwardedFor) throws Exception {
        String body = "<body rid='100' to='" + HttpListener.DOMAIN + "' wait='30' hold='1' xmpp:version='1.0' "
                + "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            client.send("POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
            RawHttpConnection.Response response = client.readResponse(BOUND);
            assertThat(response.status()).isEqualTo(200);
            return response.body();
        }
    }
}
