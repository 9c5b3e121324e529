package im.parley.server.modules.upload;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.ParleyProcess;
import im.parley.server.testing.SocketClient;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of the largest size an upload may have by default (100 MiB) goes in and out of a
 * server whose heap is capped at less than half of it (and its direct memory too): the body
 * streams through, it is never held in memory. The times go to the log (docs/benchmarks.md).
 */
class UploadHeapTest {

    private static final Logger LOG = LoggerFactory.getLogger(UploadHeapTest.class);
    private static final int SIZE = 100 * 1024 * 1024;
    private static final List<String> SMALL_HEAP = List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m");

    @TempDir
    Path dir;

    @Test
    void aHundredMegabytesStreamThroughAServerWithA48MegabyteHeap() throws Exception {
        int c2s = freePort();
        int http = freePort();
        Path file = dir.resolve("film.mp4");
        byte[] block = new byte[1024 * 1024];
        new Random(363).nextBytes(block);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < SIZE / block.length; i++) {
                out.write(block);
            }
        }
        ParleyProcess server = ParleyProcess.start(dir, String.join("\n",
                "domains: [\"parley.test\"]",
                "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s: {address: \"127.0.0.1\", port: " + c2s + "}",
                "direct_tls: {enabled: false}",
                "http: {enabled: true, address: \"127.0.0.1\", port: " + http + "}",
                "tls: {starttls_required: false}",
                ""), SMALL_HEAP);
        try {
            assertThat(server.command("secret\n", "adduser", "romeo@parley.test").exitCode()).isZero();
            URI url;
            try (SocketClient romeo = new SocketClient("127.0.0.1", c2s).login("romeo@parley.test", "secret", "cam")) {
                romeo.send("<iq type='get' id='slot' to='upload.parley.test'><request xmlns='" + UploadModule.NAMESPACE
                        + "' filename='film.mp4' size='" + SIZE + "' content-type='video/mp4'/></iq>");
                Element slot = romeo.next(e -> "slot".equals(e.attributeValue("id")));
                assertThat(slot.attributeValue("type")).as(slot.asXML()).isEqualTo("result");
                url = URI.create(slot.element("slot").element("put").attributeValue("url"));
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            long start = System.nanoTime();
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(url).header("Content-Type", "video/mp4")
                    .timeout(Duration.ofMinutes(5)).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long uploaded = System.nanoTime();
            HttpResponse<InputStream> get = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] downloaded = digest(get.body());
            long done = System.nanoTime();

            assertThat(put.statusCode()).as(server.log()).isEqualTo(201);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(downloaded).isEqualTo(digest(Files.newInputStream(file)));
            assertThat(server.log()).doesNotContain("OutOfMemoryError");
            LOG.info("100 MiB through a server with {}: upload {} ms, download {} ms", SMALL_HEAP,
                    (uploaded - start) / 1_000_000, (done - uploaded) / 1_000_000);
        } finally {
            server.close();
        }
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return sha.digest();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
