package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 4: every stage of an HTTP connection has a deadline. Before, idle connections,
 * dripped headers and dripped bodies stayed open for minutes. Here the timeouts are one second
 * and a BOSH request may be held for three: each case checks that the server answers or closes
 * after its timeout, not before, and well within a bound. Requests are dripped one byte every
 * 100 ms, the pace of a slowloris client.
 */
class HttpTimeoutsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration DRIP = Duration.ofMillis(100);
    private static final String HOST_META = "GET /.well-known/host-meta HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    static Path dir;
    private static HttpListener server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpListener.start(dir, web -> web
                .withLimits(web.limits().withIdleTimeout(TIMEOUT).withHeaderTimeout(TIMEOUT).withBodyTimeout(TIMEOUT)
                        .withWebsocketIdleTimeout(TIMEOUT))
                .withBosh(web.bosh().withMaxWait(Duration.ofSeconds(3))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            assertThat(client.awaitClosed(BOUND)).isTrue();
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
        }
    }

    @Test
    void keepAliveConnectionIdleAfterAResponseIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            client.send(HOST_META);
            assertThat(client.readResponse(BOUND).status()).isEqualTo(200);
            assertThat(client.awaitClosed(BOUND)).isTrue();
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
        }
    }

    /** RFC 9110 §15.5.9: 408, "did not receive a complete request message within the time". */
    @Test
    void headersDrippedOneByteAtATimeGet408AfterTheHeaderTimeout() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            CompletableFuture<Integer> dripped = client.drip(HOST_META.replace("\r\n\r\n",
                    "\r\nX-Padding: " + "p".repeat(100) + "\r\n\r\n"), DRIP);
            RawHttpConnection.Response response = client.readResponse(BOUND);
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.headers()).containsEntry("connection", "close");
            assertThat(client.awaitClosed(BOUND)).isTrue();
            assertThat(dripped.get()).as("bytes sent before the server gave up").isLessThan(100);
        }
    }

    @Test
    void bodyDrippedOneByteAtATimeGets408AfterTheBodyTimeout() throws Exception {
        String body = "<body rid='1' xmlns='http://jabber.org/protocol/httpbind'/>" + " ".repeat(100);
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            client.send("POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n");
            CompletableFuture<Integer> dripped = client.drip(body, DRIP);
            RawHttpConnection.Response response = client.readResponse(BOUND);
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(response.status()).isEqualTo(408);
            assertThat(client.awaitClosed(BOUND)).isTrue();
            assertThat(dripped.get()).isLessThan(body.length());
        }
    }

    /**
     * XEP-0124 §8: a request is held until there is something to send or {@code wait} seconds
     * passed. Held three times longer than any of the connection timeouts, it still gets its
     * (empty) response, on a connection that stays usable.
     */
    @Test
    void boshRequestHeldForWaitSecondsOutlivesTheConnectionTimeouts() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            client.send(post("<body rid='200' to='" + HttpListener.DOMAIN + "' wait='3' hold='1' xmpp:version='1.0' "
                    + "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>"));
            String created = client.readResponse(BOUND).body();
            String sid = created.replaceAll("(?s).*sid='([^']+)'.*", "$1");

            long start = System.nanoTime();
            client.send(post("<body rid='201' sid='" + sid + "' xmlns='http://jabber.org/protocol/httpbind'/>"));
            RawHttpConnection.Response held = client.readResponse(BOUND);
            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(held.status()).isEqualTo(200);
            assertThat(held.body()).startsWith("<body").doesNotContain("terminate");

            client.send(HOST_META);
            assertThat(client.readResponse(BOUND).status()).as("the connection is still usable").isEqualTo(200);
        }
    }

    /** RFC 7395 §3.8 and RFC 6455 §5.5.2: a silent WebSocket is pinged, then closed if it stays silent. */
    @Test
    void silentWebSocketIsPingedAndThenClosed() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            assertThat(client.readFrame(BOUND).opcode()).isEqualTo(RawHttpConnection.Frame.PING);
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(client.awaitClosed(BOUND)).isTrue();
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(2));
        }
    }

    @Test
    void webSocketThatAnswersPingsStaysOpen() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            for (int i = 0; i < 3; i++) {
                RawHttpConnection.Frame ping = client.readFrame(BOUND);
                assertThat(ping.opcode()).isEqualTo(RawHttpConnection.Frame.PING);
                client.sendFrame(RawHttpConnection.Frame.PONG, ping.payload());
            }
            // Three pings answered: three idle periods, and the connection is still open.
            client.sendFrame(RawHttpConnection.Frame.TEXT, ("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='"
                    + HttpListener.DOMAIN + "' version='1.0'/>").getBytes(StandardCharsets.UTF_8));
            RawHttpConnection.Frame open = client.readFrame(BOUND);
            assertThat(new String(open.payload(), StandardCharsets.UTF_8)).startsWith("<open");
        }
    }

    /** RFC 6455 §7.4.1: 1008, policy violation. */
    @Test
    void webSocketMessageDrippedIsClosed1008AfterTheBodyTimeout() throws Exception {
        String open = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='" + HttpListener.DOMAIN + "' version='1.0'/>";
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            long start = System.nanoTime();
            client.send(RawHttpConnection.frameHeader(RawHttpConnection.Frame.TEXT, true, open.length()));
            client.drip(open, DRIP);
            RawHttpConnection.Frame close = client.readFrame(BOUND);
            assertThat(since(start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(close.opcode()).isEqualTo(RawHttpConnection.Frame.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1008);
            assertThat(client.awaitClosed(BOUND)).isTrue();
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String post(String body) {
        return "POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
