package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 4: what one request may make the server hold is bounded by configuration
 * ({@code http.max_header_size}, {@code http.max_request_size}) and given back when its
 * connection ends. Before, 2000 half-sent bodies added 928 MB that never came back.
 */
class HttpSizeLimitsTest {

    private static final int MAX_BODY = 64 * 1024;
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static HttpListener server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpListener.start(dir, web -> web.withMaxRequestBytes(MAX_BODY)
                .withLimits(web.limits().withMaxHeaderBytes(2048).withBodyTimeout(Duration.ofSeconds(1))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** RFC 6585 §5: 431 Request Header Fields Too Large. */
    @Test
    void headersOverMaxHeaderSizeGet431() throws Exception {
        RawHttpConnection.Response response = request("GET /.well-known/host-meta HTTP/1.1\r\nHost: x\r\n"
                + "X-Padding: " + "p".repeat(3000) + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(431);
    }

    /** RFC 9110 §15.5.15: 414 URI Too Long. */
    @Test
    void requestLineOverMaxHeaderSizeGets414() throws Exception {
        RawHttpConnection.Response response = request("GET /" + "u".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response.status()).isEqualTo(414);
    }

    /** RFC 9110 §15.5.14: 413 Content Too Large, before the body is read. */
    @Test
    void bodyOverMaxRequestSizeGets413() throws Exception {
        RawHttpConnection.Response response = request("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (MAX_BODY + 1) + "\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(413);
    }

    /**
     * The same for a chunked body, whose size shows only as it arrives: its last byte is one too
     * many. (Nothing follows it, so the server has read all that was sent when it answers and
     * closes; unread bytes would make the close a reset that could destroy the answer.)
     */
    @Test
    void chunkedBodyOverMaxRequestSizeGets413() throws Exception {
        RawHttpConnection.Response response = request("POST /http-bind HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(MAX_BODY) + "\r\n" + "x".repeat(MAX_BODY)
                + "\r\n1\r\nx\r\n");
        assertThat(response.status()).isEqualTo(413);
    }

    /**
     * Many connections each send most of a body and stall. Each is answered 408 after
     * {@code http.body_timeout} and closed, and what was buffered for them is released: no leak
     * is reported by Netty's leak detector at its PARANOID level, which tracks every buffer. (The
     * allocator's own figures cannot show it: Netty's adaptive allocator keeps freed chunks for
     * reuse, so its memory in use stays at the peak, which these limits bound.)
     */
    @Test
    void halfSentBodiesAreCutOffAndTheirBuffersReleased() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try (LogCapture logs = new LogCapture("io.netty.util.ResourceLeakDetector")) {
            List<RawHttpConnection> clients = new ArrayList<>();
            String half = "x".repeat(MAX_BODY / 2);
            for (int i = 0; i < 40; i++) {
                RawHttpConnection client = RawHttpConnection.open(server.port());
                clients.add(client);
                client.send("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_BODY + "\r\n\r\n" + half);
            }
            server.settle();
            for (RawHttpConnection client : clients) {
                assertThat(client.readResponse(BOUND).status()).isEqualTo(408);
                assertThat(client.awaitClosed(BOUND)).isTrue();
                client.close();
            }
            server.settle();
            collectLeaks();
            assertThat(logs.events("io.netty")).as(LogCapture.describe(logs.events("io.netty")))
                    .noneMatch(event -> event.getFormattedMessage().contains("LEAK"));
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static RawHttpConnection.Response request(String text) throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
            client.send(text);
            return client.readResponse(BOUND);
        }
    }

    /**
     * A leaked buffer is reported when the collector has found it unreachable and a later
     * allocation looks at the detector's queue: collect, then allocate, a few times over.
     */
    private static void collectLeaks() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
        }
    }
}
