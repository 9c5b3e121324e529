package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import im.parley.server.config.ListenerConfig;
import im.parley.server.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 5: a client's fault (an aborted request, a reset, TLS garbage, a broken
 * WebSocket frame) is logged on one line at most, without a stack trace, even with debugging on;
 * Netty logs nothing an operator would see. Before the fix an aborted body logged a warning with
 * a 20-line stack trace ({@code PrematureChannelClosureException}) and a broken WebSocket frame an
 * {@code internal error} with its stack trace. Each case waits until the server has handled the
 * connection's end (its connection count is back to zero, then every event loop has run what
 * that queued) before looking at the log.
 */
class ClientFaultLoggingTest {

    private static final String CREATE = "<body rid='100' to='" + HttpListener.DOMAIN + "' wait='30' hold='1' "
            + "xmpp:version='1.0' xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
    private static final byte[] TLS_CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00,
            (byte) 0xa1, 0x03, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, '\r', '\n', '\r', '\n'};

    @TempDir
    static Path dir;
    private static HttpListener server;
    private static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        // Loopback is counted like any client here, so the test can wait for its connections to end.
        server = HttpListener.start(dir, web -> web.withMaxRequestBytes(4096)
                        .withLimits(web.limits().withTrustedProxies(List.of()))
                        .withHttps(ListenerConfig.on("127.0.0.1", 0)),
                config -> config.withDirectTls(ListenerConfig.on("127.0.0.1", 0)));
        logs = new LogCapture("im.parley", "io.netty");
    }

    @AfterAll
    static void stop() {
        logs.close();
        server.close();
    }

    @BeforeEach
    void clearLog() {
        logs.clear();
    }

    @Test
    void requestClosedMidBodyLogsOneLineWithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            client.send("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<body");
        }
        assertOneQuietLineAtMost();
    }

    @Test
    void requestResetMidBodyLogsOneLineWithoutStackTrace() throws Exception {
        RawHttpConnection client = RawHttpConnection.open(server.port());
        client.send("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<body");
        awaitRead();
        client.reset();
        assertOneQuietLineAtMost();
    }

    @Test
    void requestResetMidHeadersLogsOneLineWithoutStackTrace() throws Exception {
        RawHttpConnection client = RawHttpConnection.open(server.port());
        client.send("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Le");
        awaitRead();
        client.reset();
        assertOneQuietLineAtMost();
    }

    @Test
    void heldBoshRequestResetLogsOneLineWithoutStackTrace() throws Exception {
        RawHttpConnection client = RawHttpConnection.open(server.port());
        client.send(post(CREATE));
        String created = client.readResponse(Duration.ofSeconds(10)).body();
        String sid = created.replaceAll("(?s).*sid='([^']+)'.*", "$1");
        client.send(post("<body rid='101' sid='" + sid + "' xmlns='http://jabber.org/protocol/httpbind'/>"));
        awaitRead();
        client.reset();
        assertOneQuietLineAtMost();
    }

    @Test
    void tlsHandshakeOnThePlainHttpPortGets400WithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            client.send(TLS_CLIENT_HELLO_START);
            assertThat(client.readResponse(Duration.ofSeconds(10)).status()).isEqualTo(400);
        }
        assertOneQuietLineAtMost();
    }

    @Test
    void plainTextOnTheHttpsPortIsClosedWithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.server().httpsPort())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        assertOneQuietLineAtMost();
    }

    @Test
    void webSocketFrameOverTheLimitIsClosed1009WithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            client.send(RawHttpConnection.frameHeader(RawHttpConnection.Frame.TEXT, true, 8192));
            assertClosedWith(client, 1009); // RFC 6455 §7.4.1: message too big
        }
        assertOneQuietLineAtMost();
    }

    @Test
    void webSocketFrameWithAReservedOpcodeIsClosed1002WithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
            client.sendFrame(0xF, new byte[0]);
            assertClosedWith(client, 1002); // RFC 6455 §7.4.1: protocol error
        }
        assertOneQuietLineAtMost();
    }

    @Test
    void webSocketResetMidFrameLogsOneLineWithoutStackTrace() throws Exception {
        RawHttpConnection client = RawHttpConnection.open(server.port());
        assertThat(client.upgradeToWebSocket().status()).isEqualTo(101);
        client.send(RawHttpConnection.frameHeader(RawHttpConnection.Frame.TEXT, true, 100));
        client.send("<open");
        client.reset();
        assertOneQuietLineAtMost();
    }

    @Test
    void plainTextOnTheDirectTlsPortIsClosedWithoutStackTrace() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.server().directTlsPort())) {
            client.send("<stream:stream to='" + HttpListener.DOMAIN + "'>");
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        server.settle();
        // Only the HTTP listener's and Netty's lines: the capture is JVM-wide, and another test's
        // server in the same JVM may log meanwhile (a CI run under load logged an account step's
        // timeout of another server here).
        assertQuiet(logs.events("im.parley.server.http", "io.netty"));
    }

    private static void assertClosedWith(RawHttpConnection client, int status) throws Exception {
        RawHttpConnection.Frame close = client.readFrame(Duration.ofSeconds(10));
        assertThat(close.opcode()).isEqualTo(RawHttpConnection.Frame.CLOSE);
        assertThat(close.closeStatus()).isEqualTo(status);
        assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }

    /** The server has read what was sent and handled it (a BOSH request moves to its session's loop). */
    private static void awaitRead() throws Exception {
        server.settle();
        server.settle();
    }

    private static void assertOneQuietLineAtMost() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionsFrom("127.0.0.1") == 0);
        server.settle();
        // Only the HTTP listener's and Netty's lines: the capture is JVM-wide, and another test's
        // server in the same JVM may log meanwhile (a CI run under load logged an account step's
        // timeout of another server here).
        assertQuiet(logs.events("im.parley.server.http", "io.netty"));
    }

    private static void assertQuiet(List<ILoggingEvent> events) {
        String log = LogCapture.describe(events);
        assertThat(events).as(log).noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(events).as(log).filteredOn(event -> event.getLoggerName().startsWith("im.parley")).hasSizeLessThan(2);
        assertThat(events).as(log).filteredOn(event -> event.getLoggerName().startsWith("io.netty"))
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.INFO));
    }

    private static String post(String body) {
        return "POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
