package im.parley.server.modules.upload;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.config.ParleyConfig;
import im.parley.server.http.HttpService;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.RecordingExchange;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP File Upload (XEP-0363) without sockets: the service's discovery (§3), slot requests (§4),
 * their errors (§5), the PUT (§6) and GET of the files through the module's {@link HttpService},
 * expiry and the purge.
 */
class UploadModuleTest {

    private static final String SERVICE = "upload.parley.test";
    private static final String BASE = "https://files.parley.test";
    private static final String ORIGIN = "https://chat.example.org";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final UploadModule module = new UploadModule();
    private TestServer server;
    private TestClient romeo;
    private final InlinePool pool = new InlinePool();

    @BeforeEach
    void start() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test", "other.test"))
                .withDataDir(dir)
                .with(UploadModule.PUBLIC_URL, BASE + "/")
                .with(UploadModule.MAX_FILE_SIZE, 1000)
                .with(UploadModule.QUOTA, 1500);
        server = new TestServer(config, clock, ModuleCatalog.of(
                TestServer.discoveredModulesReplacing(UploadModule.class, module)), pool);
        server.user("romeo@parley.test").user("mallory@other.test");
        romeo = server.login("romeo@parley.test", "garden");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theServiceIsAnItemOfTheServerAndAnnouncesItselfWithTheLimit() {
        // XEP-0363 §3: "A user's server SHOULD include any known entities that provide such services
        // into its service discovery items."
        Element items = iq(romeo, "<iq type='get' id='i1' to='parley.test'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>").element("query");
        assertThat(items.elements("item")).extracting(item -> item.attributeValue("jid")).contains(SERVICE);

        Element info = iq(romeo, "<iq type='get' id='i2' to='" + SERVICE + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");
        Element identity = info.element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("store");
        assertThat(identity.attributeValue("type")).isEqualTo("file");
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var"))
                .contains(UploadModule.NAMESPACE);
        // §3: "The field name MUST be "max-file-size" and the value MUST be in bytes."
        Element form = info.element(QName.get("x", "jabber:x:data"));
        assertThat(field(form, "FORM_TYPE")).isEqualTo(UploadModule.NAMESPACE);
        assertThat(field(form, "max-file-size")).isEqualTo("1000");
    }

    @Test
    void aSlotHasAPutAndAGetUrlThatKeepTheFileName() {
        Element slot = requestSlot("my juliet.jpg", 600, "image/jpeg").element("slot");

        // XEP-0363 §4: "The service SHOULD keep the file name and especially the file ending intact."
        String put = slot.element("put").attributeValue("url");
        assertThat(put).startsWith(BASE + "/upload/" + SERVICE + "/").endsWith("/my%20juliet.jpg");
        assertThat(slot.element("get").attributeValue("url")).isEqualTo(put);
        // §8: "long randomized parts in their URLs".
        String token = put.split("/")[5];
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        assertThat(requestSlot("my juliet.jpg", 600, "image/jpeg").element("slot").element("put")
                .attributeValue("url")).isNotEqualTo(put);
    }

    @Test
    void aFileOverTheLimitIsNotAcceptableWithTheLimit() {
        Element reply = requestSlot("big.bin", 1001, null);

        // XEP-0363 §5: not-acceptable, with <file-too-large><max-file-size/></file-too-large>.
        assertThat(condition(reply)).isEqualTo("not-acceptable");
        Element tooLarge = reply.element("error").element(QName.get("file-too-large", UploadModule.NAMESPACE));
        assertThat(tooLarge.elementText(QName.get("max-file-size", UploadModule.NAMESPACE))).isEqualTo("1000");
        assertThat(reply.element("error").elementText("text")).contains("1000 bytes");
    }

    @Test
    void slotsBeyondTheQuotaAreAResourceConstraintNamingIt() {
        assertThat(requestSlot("a.bin", 1000, null).element("slot")).isNotNull();

        Element reply = requestSlot("b.bin", 501, null);

        // XEP-0363 §5: a temporary error for "exceeding a personal quota".
        assertThat(condition(reply)).isEqualTo("resource-constraint");
        assertThat(reply.element("error").attributeValue("type")).isEqualTo("wait");
        assertThat(reply.element("error").elementText("text")).contains("1500 bytes");
        assertThat(requestSlot("c.bin", 500, null).element("slot")).isNotNull();
    }

    @Test
    void unusedSlotsStopCountingOnceExpired() {
        assertThat(requestSlot("a.bin", 1000, null).element("slot")).isNotNull();
        clock.advance(Duration.ofMinutes(6));

        assertThat(requestSlot("b.bin", 1000, null).element("slot")).isNotNull();
    }

    @Test
    void onlyAccountsOfTheServedDomainGetSlots() throws Exception {
        TestClient mallory = server.login("mallory@other.test", "lab");

        Element reply = iq(mallory, "<iq type='get' id='s1' to='" + SERVICE + "'><request xmlns='"
                + UploadModule.NAMESPACE + "' filename='x.txt' size='10'/></iq>");

        assertThat(condition(reply)).isEqualTo("forbidden");
    }

    @Test
    void aRequestWithoutFilenameOrSizeIsABadRequest() {
        assertThat(condition(iq(romeo, "<iq type='get' id='s2' to='" + SERVICE + "'><request xmlns='"
                + UploadModule.NAMESPACE + "' filename='x.txt'/></iq>"))).isEqualTo("bad-request");
        assertThat(condition(iq(romeo, "<iq type='get' id='s3' to='" + SERVICE + "'><request xmlns='"
                + UploadModule.NAMESPACE + "' size='10'/></iq>"))).isEqualTo("bad-request");
    }

    /**
     * An upload the server cannot write now (the blocking pool refuses the write, then the clean-up
     * of the partial file) is answered, not left hanging: 503 (RFC 9110 §15.6.4, a temporary
     * overload), and the slot is not served.
     */
    @Test
    void anUploadWhoseWriteThePoolRefusesIsAnswered() {
        String url = slotUrl("a.txt", 5, null);
        // The slot's claim runs; the body's write and the partial file's clean-up are refused.
        pool.refuse(1, 2);

        RecordingExchange put = put(url, "hello".getBytes(StandardCharsets.US_ASCII), null);

        assertThat(put.status()).isEqualTo(503);
        assertThat(call(HttpMethod.GET, url, null, null, null).status()).isEqualTo(404);
    }

    @Test
    void theUploadedFileIsServedAsItCameWithHeadersThatKeepItData() {
        String url = slotUrl("<script>.html", 11, "text/html");
        byte[] content = "hello world".getBytes(StandardCharsets.US_ASCII);

        // XEP-0363 §6: "A HTTP status Code of 201 means that the server is now ready to serve the file".
        assertThat(put(url, content, "text/html").status()).isEqualTo(201);

        RecordingExchange get = call(HttpMethod.GET, url, null, null, ORIGIN);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.complete()).isTrue();
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html");
        assertThat(get.header(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("11");
        assertThat(get.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(get.header(HttpHeaderNames.CONTENT_SECURITY_POLICY)).contains("default-src 'none'", "sandbox");
        assertThat(get.header(HttpHeaderNames.CONTENT_DISPOSITION))
                .startsWith("attachment; filename=\"<script>.html\"");
        assertThat(get.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");

        RecordingExchange head = call(HttpMethod.HEAD, url, null, null, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("11");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void storedFilesAreTheServersOnly() throws Exception {
        put(slotUrl("a.txt", 5, null), "hello".getBytes(StandardCharsets.US_ASCII), null);

        // Like everything in data_dir (docs/security.md): directories 0700, files 0600.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("upload"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("upload").resolve(SERVICE))))
                .isEqualTo("rwx------");
        assertThat(storedFiles()).singleElement().satisfies(file -> assertThat(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
    }

    @Test
    void aPutMustMatchTheSlotsSizeAndType() {
        String url = slotUrl("a.png", 4, "image/png");

        // XEP-0363 §6: "MUST reject the file upload if the Content-Length does not match".
        assertThat(put(url, new byte[5], "image/png").status()).isEqualTo(400);
        // "SHOULD reject the file if the Content-Type has been specified beforehand and does not match".
        assertThat(put(url, new byte[4], "text/html").status()).isEqualTo(400);
        // A refused PUT leaves the slot for a right one.
        assertThat(put(url, new byte[4], "image/png; charset=binary").status()).isEqualTo(201);
        assertThat(call(HttpMethod.GET, url, null, null, null).header(HttpHeaderNames.CONTENT_DISPOSITION))
                .startsWith("inline;");
    }

    @Test
    void aSlotTakesOnePutOnly() {
        String url = slotUrl("a.txt", 5, null);
        RecordingExchange first = put(url, "first".getBytes(StandardCharsets.US_ASCII), "text/plain");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.proceeded).isTrue();

        RecordingExchange later = put(url, "later".getBytes(StandardCharsets.US_ASCII), "text/plain");
        assertThat(later.status()).isEqualTo(409);
        // A client waiting with Expect: 100-continue is refused before it sends the body.
        assertThat(later.proceeded).isFalse();

        assertThat(call(HttpMethod.GET, url, null, null, null).body())
                .isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aFileWhoseSlotNamedNoTypeIsServedWithTheTypeItWasUploadedWith() {
        String url = slotUrl("notes", 5, null);
        put(url, "hello".getBytes(StandardCharsets.US_ASCII), "text/plain; charset=utf-8");

        assertThat(call(HttpMethod.GET, url, null, null, null).header(HttpHeaderNames.CONTENT_TYPE))
                .isEqualTo("text/plain; charset=utf-8");
        String untyped = slotUrl("blob", 5, null);
        put(untyped, "hello".getBytes(StandardCharsets.US_ASCII), null);
        // XEP-0363 §6: "The service MAY assume application/octet-stream".
        assertThat(call(HttpMethod.GET, untyped, null, null, null).header(HttpHeaderNames.CONTENT_TYPE))
                .isEqualTo("application/octet-stream");
    }

    @Test
    void unknownTokensAndPathsOutsideTheStoreAreNotFound() {
        String url = slotUrl("a.txt", 5, null);
        put(url, "hello".getBytes(StandardCharsets.US_ASCII), null);
        String prefix = "/upload/" + SERVICE + "/";

        assertThat(call(HttpMethod.GET, prefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/a.txt", null, null, null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.GET, prefix + "../../../etc/passwd", null, null, null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, prefix + "%2e%2e/%2e%2e/parley.mv.db", null, null, null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.GET, prefix + ".partial/x", null, null, null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.PUT, prefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/a.txt", new byte[5], null, null)
                .status()).isEqualTo(404);
        // A file is not served before its upload is complete.
        String pending = slotUrl("b.txt", 5, null);
        assertThat(call(HttpMethod.GET, pending, null, null, null).status()).isEqualTo(404);
    }

    @Test
    void aSlotUnusedPastItsTimeoutTakesNoPut() {
        String url = slotUrl("a.txt", 5, null);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(put(url, new byte[5], null).status()).isEqualTo(403);
    }

    @Test
    void filesExpireAndThePurgeDeletesThem() throws Exception {
        String url = slotUrl("a.txt", 5, null);
        put(url, "hello".getBytes(StandardCharsets.US_ASCII), null);
        assertThat(storedFiles()).hasSize(1);

        clock.advance(Duration.ofDays(30).plusSeconds(1));

        assertThat(call(HttpMethod.GET, url, null, null, null).status()).isEqualTo(404);
        assertThat(module.purge()).isEqualTo(1);
        assertThat(storedFiles()).isEmpty();
        // The space is free again.
        assertThat(requestSlot("b.bin", 1000, null).element("slot")).isNotNull();
    }

    @Test
    void theFilesOfADeletedAccountGoWithIt() throws Exception {
        String url = slotUrl("a.txt", 5, null);
        put(url, "hello".getBytes(StandardCharsets.US_ASCII), null);

        server.accounts().delete(Jids.parseEntityBare("romeo@parley.test"));

        assertThat(call(HttpMethod.GET, url, null, null, null).status()).isEqualTo(404);
        module.purge();
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void browsersMayPutFromConfiguredOrigins() {
        String path = "/upload/" + SERVICE + "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/a.txt";

        RecordingExchange preflight = call(HttpMethod.OPTIONS, path, null, null, ORIGIN);

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");
        assertThat(preflight.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).contains("PUT");
        assertThat(preflight.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).contains("Content-Type");
    }

    private Element requestSlot(String filename, long size, String contentType) {
        return iq(romeo, "<iq type='get' id='slot' to='" + SERVICE + "'><request xmlns='" + UploadModule.NAMESPACE
                + "' filename='" + filename.replace("<", "&lt;") + "' size='" + size + "'"
                + (contentType == null ? "" : " content-type='" + contentType + "'") + "/></iq>");
    }

    /** The path of a new slot's URL. */
    private String slotUrl(String filename, long size, String contentType) {
        String url = requestSlot(filename, size, contentType).element("slot").element("put").attributeValue("url");
        return URI.create(url).getRawPath();
    }

    private RecordingExchange put(String path, byte[] content, String contentType) {
        return call(HttpMethod.PUT, path, content, contentType, null);
    }

    private RecordingExchange call(HttpMethod method, String path, byte[] content, String contentType,
                                   String origin) {
        HttpService service = server.httpServices().find(path).orElseThrow();
        return RecordingExchange.call(service, method, path, content, contentType, origin);
    }

    private List<Path> storedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("upload").resolve(SERVICE))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String field(Element form, String var) {
        return form.elements(QName.get("field", "jabber:x:data")).stream()
                .filter(f -> var.equals(f.attributeValue("var")))
                .map(f -> f.elementText(QName.get("value", "jabber:x:data"))).findFirst().orElse(null);
    }
}
