package im.parley.conformance.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.server.config.ListenerConfig;
import im.parley.server.modules.upload.UploadModule;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.jivesoftware.smackx.httpfileupload.UploadService;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jivesoftware.smackx.httpfileupload.element.SlotRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * HTTP File Upload (XEP-0363) end to end: Smack's {@link HttpFileUploadManager} finds the service,
 * asks for a slot and PUTs a file over Parley's HTTP listener on 127.0.0.1; a plain Java HTTP
 * client, which has no XMPP account, downloads it by the URL alone.
 */
class Xep0363HttpFileUploadTest {

    private static final int MAX_FILE_SIZE = 2 * 1024 * 1024;
    private static final int QUOTA = 3 * 1024 * 1024;
    private static final String SERVICE = "upload." + ParleyServerExtension.DOMAIN;

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(config -> config
            .withHttp(ListenerConfig.on("127.0.0.1", 0))
            .with(UploadModule.MAX_FILE_SIZE, MAX_FILE_SIZE)
            .with(UploadModule.QUOTA, QUOTA));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @DisplayName("XEP-0363 §3, §4, §6: Smack discovers the service, uploads, and anyone with the URL downloads it")
    void smackUploadsAndAPlainHttpClientDownloads() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(romeo.connection());

        // §3: "A user's server SHOULD include any known entities that provide such services into its
        // service discovery items"; the service announces "max-file-size".
        assertThat(uploads.discoverUploadService()).isTrue();
        UploadService service = uploads.getDefaultUploadService();
        assertThat(service.getAddress().toString()).isEqualTo(SERVICE);
        assertThat(service.getVersion()).isEqualTo(UploadService.Version.v0_3);
        assertThat(service.getMaxFileSize()).isEqualTo(MAX_FILE_SIZE);

        byte[] content = new byte[MAX_FILE_SIZE - 3];
        new Random(363).nextBytes(content);
        File file = dir.resolve("balcony scene.jpg").toFile();
        Files.write(file.toPath(), content);

        URL url = uploads.uploadFile(file);

        assertThat(url.toString()).endsWith("/balcony%20scene.jpg");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(url.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    @DisplayName("XEP-0363 §5: a file over the limit is not-acceptable, with <file-too-large><max-file-size/>")
    void aFileOverTheLimitIsRefusedWithTheLimit() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        // Smack refuses to ask for a slot it knows is too large; this asks anyway.
        SlotRequest request = new SlotRequest(JidCreate.domainBareFrom(SERVICE), "huge.bin", MAX_FILE_SIZE + 1L);

        assertThatThrownBy(() -> romeo.connection().createStanzaCollectorAndSend(request).nextResultOrThrow())
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
                    StanzaError error = e.getStanzaError();
                    assertThat(error.getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
                    ExtensionElement tooLarge = error.getExtension("file-too-large", UploadModule.NAMESPACE);
                    assertThat(tooLarge).isNotNull();
                    assertThat(tooLarge.toXML().toString()).contains("<max-file-size>" + MAX_FILE_SIZE + "</max-file-size>");
                });
    }

    @Test
    @DisplayName("XEP-0363 §5: slots beyond the user's quota are a resource-constraint; a used slot takes no second PUT")
    void theQuotaBoundsAUsersSlotsAndASlotTakesOnePut() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(juliet.connection());
        assertThat(uploads.discoverUploadService()).isTrue();

        Slot first = uploads.requestSlot("one.bin", MAX_FILE_SIZE, "application/octet-stream");
        uploads.requestSlot("two.bin", QUOTA - MAX_FILE_SIZE);

        assertThatThrownBy(() -> uploads.requestSlot("three.bin", 1))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
                    assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.resource_constraint);
                    assertThat(e.getStanzaError().getDescriptiveText()).contains(Integer.toString(QUOTA));
                });

        URI put = first.getPutUrl().toURI();
        byte[] content = new byte[MAX_FILE_SIZE];
        assertThat(put(put, content)).isEqualTo(201);
        assertThat(put(put, content)).isEqualTo(409);
        assertThat(put(URI.create(put.toString().replaceAll("/upload/([^/]+)/[^/]+/", "/upload/$1/"
                + "A".repeat(32) + "/")), content)).isEqualTo(404);
    }

    private int put(URI url, byte[] content) throws Exception {
        return http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
