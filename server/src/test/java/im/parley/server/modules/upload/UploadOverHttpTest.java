package im.parley.server.modules.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.server.ParleyServer;
import im.parley.server.config.HttpConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.SocketClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP File Upload (XEP-0363 §6) through a real HTTP listener on 127.0.0.1: a file several times
 * the listener's {@code http.max_request_size} streams in and out byte for byte, refusals come
 * before the body, and browsers get their CORS preflight.
 */
class UploadOverHttpTest {

    private static final String DOMAIN = "parley.test";
    private static final String SERVICE = "upload." + DOMAIN;
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private ParleyServer server;
    private SocketClient romeo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of(DOMAIN)).withDataDir(dir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0))
                .withWeb(HttpConfig.defaults().withMaxRequestBytes(64 * 1024)
                        .withLimits(HttpConfig.defaults().limits().withBodyTimeout(BODY_TIMEOUT)))
                .with(UploadModule.MAX_FILE_SIZE, 8 * 1024 * 1024);
        config = config.withTls(config.tls().withStarttlsRequired(false));
        server = new ParleyServer(config);
        server.start();
        server.accounts().create(Jids.parseEntityBare("romeo@" + DOMAIN), "secret");
        romeo = new SocketClient("127.0.0.1", server.c2sPort()).login("romeo@" + DOMAIN, "secret", "garden");
    }

    @AfterEach
    void stop() throws Exception {
        romeo.close();
        server.close();
    }

    @Test
    void aFileLargerThanAnyRequestTheListenerAggregatesStreamsInAndOut() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(363).nextBytes(content);
        URI url = slot("photo.jpg", content.length, "image/jpeg");
        assertThat(url.toString()).startsWith("http://127.0.0.1:" + server.httpPort() + "/upload/" + SERVICE + "/");

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(url).header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);

        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(MessageDigest.getInstance("SHA-256").digest(get.body()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(get.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(get.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(url)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    }

    @Test
    void aSecondPutIsRefusedBeforeItsBodyAndTheFileStays() throws Exception {
        byte[] content = new byte[200 * 1024];
        new Random(1).nextBytes(content);
        URI url = slot("a.bin", content.length, null);
        assertThat(http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(url)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[content.length])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        // RFC 9110 §10.1.1: a client that waits before sending the body hears the refusal, not 100.
        assertThat(statusLineOfAPutThatWaits(url, content.length)).isEqualTo("HTTP/1.1 409 Conflict");
        assertThat(http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body()).isEqualTo(content);
    }

    @Test
    @DisplayName("RFC 9112 §9.6: a PUT refused before its body is read to its end, not reset, so its client reads the answer")
    void aPutRefusedEarlyIsNotResetWhileItsBodyArrives() throws Exception {
        byte[] content = new byte[2 * 1024 * 1024];
        URI url = slot("b.bin", content.length, null);
        assertThat(http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);

        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Length: "
                    + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 409 Conflict").containsIgnoringCase("connection: close");
            // The body the client had started to send goes on; the server reads it, then closes.
            out.write(content);
            out.flush();
            in.skipNBytes(contentLength(head));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the response's head ends before the connection").isNotEqualTo(-1);
            head.append((char) b);
        }
        return head.toString();
    }

    private static long contentLength(String head) {
        return head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst()
                .orElseThrow();
    }

    @Test
    void browsersGetTheirPreflightAndTheOtherPathsAreUntouched() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.httpPort());
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(base.resolve("/upload/" + SERVICE
                        + "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/a.txt"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://chat.example.org")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
        // BOSH and host-meta are still the listener's.
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/.well-known/host-meta")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/upload/elsewhere/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    /**
     * A client that stops reading a download (a slow-read attack) does not hold its connection
     * and the open file for ever: a piece the client does not take within {@code
     * http.body_timeout} closes the connection (issue 17 item 4: a deadline for every stage).
     */
    @Test
    void aDownloadTheClientStopsReadingIsCutAfterTheBodyTimeout() throws Exception {
        byte[] content = new byte[7 * 1024 * 1024];
        new Random(7).nextBytes(content);
        URI url = slot("big.bin", content.length, null);
        assertThat(http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);
        Path stored;
        try (var files = Files.walk(dir.resolve("upload"))) {
            stored = files.filter(f -> Files.isRegularFile(f) && f.toFile().length() == content.length).findFirst()
                    .orElseThrow().toRealPath();
        }

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            socket.getOutputStream().write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // The client reads nothing: the server has the file open while the pieces wait...
            await().atMost(Duration.ofSeconds(20)).until(() -> openByThisProcess(stored));
            // ...until a piece has waited for longer than the deadline: it closes the connection and the file.
            await().atMost(BODY_TIMEOUT.plusSeconds(20)).until(() -> !openByThisProcess(stored));
            socket.setSoTimeout(20_000);
            long read = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(read).as("bytes the client got before the end").isLessThan(content.length);
        }
    }

    /** Whether a descriptor of this JVM (the server's) is open on {@code file}. */
    private static boolean openByThisProcess(Path file) throws Exception {
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (Exception e) {
                    return false; // closed meanwhile
                }
            });
        }
    }

    /** The first status line a PUT with {@code Expect: 100-continue} gets, before it sent any of its body. */
    private static String statusLineOfAPutThatWaits(URI url, int length) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private URI slot(String filename, long size, String contentType) {
        romeo.send("<iq type='get' id='slot-" + filename + "' to='" + SERVICE + "'><request xmlns='"
                + UploadModule.NAMESPACE + "' filename='" + filename + "' size='" + size + "'"
                + (contentType == null ? "" : " content-type='" + contentType + "'") + "/></iq>");
        Element reply = romeo.next(e -> ("slot-" + filename).equals(e.attributeValue("id")));
        assertThat(reply.attributeValue("type")).as(reply.asXML()).isEqualTo("result");
        return URI.create(reply.element("slot").element("put").attributeValue("url"));
    }
}
