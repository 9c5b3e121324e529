package im.parley.conformance.upload;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.bosh.BrowserScript;
import im.parley.conformance.bosh.HttpParley;
import im.parley.conformance.raw.RawXmppClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;

/**
 * A browser client shares a file (issue 15): Converse.js in headless Chromium, its page served from
 * another origin, picks a file in a chat with a Smack user over TCP. Converse asks Parley's
 * {@code upload.<domain>} for a slot (XEP-0363 §4), PUTs the file to the slot's URL across
 * origins, which Chromium does only after a CORS preflight that allows the PUT and its
 * {@code Content-Type} (the Fetch standard, "CORS-preflight fetch"), and sends the GET URL in a
 * message with an out-of-band URL (XEP-0066), and shows the picture, which it fetches across
 * origins too. The recipient gets the URL; the URL gives the same bytes (XEP-0363 §2: "everyone
 * who knows the URL SHOULD be able to access it").
 */
class ConverseUploadTest {

    private static final String OOB = "jabber:x:oob";
    private static final String FILE_NAME = "balcony-scene.png";
    /** Not one of the CORS-safelisted types, so Chromium asks before it sends the Content-Type. */
    private static final String FILE_TYPE = "image/png";

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @DisplayName("XEP-0363 §4, §6 with CORS: Converse.js uploads a picture over WebSocket and shows it, the TCP recipient downloads the same bytes")
    void converseUploadsAFile() throws Exception {
        // Raw, not Smack: Smack 4.4 has no provider for XEP-0066's <x/>, and its generic one fails an
        // assertion on the default namespace declaration (see AvatarsTest).
        EntityBareJid romeoJid = parley.newAccount("romeo");
        RawXmppClient romeo = parley.raw();
        romeo.login(romeoJid.getLocalpart().toString(), HttpParley.PASSWORD, "tcp");
        romeo.send("<presence/>");
        byte[] content = picture(160, 90);
        Path file = Files.write(work.resolve("picture.png"), content);

        EntityBareJid juliet = parley.newAccount("juliet");
        try (BrowserScript browser = BrowserScript.start(parley, BrowserScript.script("converse-scenario.sh"),
                parley.websocketUrl(), work, juliet, romeoJid, Map.of(
                        "XMPP_TRANSPORT", "websocket",
                        "CONVERSE_DRIVER", "converse-upload-driver.js",
                        "UPLOAD_FILE", file.toString(),
                        "UPLOAD_NAME", FILE_NAME,
                        "UPLOAD_TYPE", FILE_TYPE))) {
            String pageOrigin = origin(browser.awaitLine("PAGE ").substring("PAGE ".length()));
            String url = browser.awaitLine("UPLOADED ").substring("UPLOADED ".length());
            // Converse shows the picture: Chromium fetched it from Parley for the page of the other origin.
            assertThat(browser.awaitLine("SHOWN ")).isEqualTo("SHOWN 160x90");
            browser.passes();

            Element shared = romeo.nextElement(element -> "message".equals(element.getName())
                    && url.equals(element.elementText("body")));
            assertThat(shared.attributeValue("from")).startsWith(juliet + "/");
            assertThat(shared.element(QName.get("x", OOB))).as("XEP-0066 <x/> in %s", shared.asXML()).isNotNull();
            assertThat(shared.element(QName.get("x", OOB)).elementText(QName.get("url", OOB))).isEqualTo(url);
            assertThat(url).startsWith(parley.baseUrl() + "/upload/upload." + HttpParley.DOMAIN + "/")
                    .endsWith("/" + FILE_NAME);

            // Asked as a page's fetch() asks (Converse's HEAD with fetch_url_headers, or a download by script).
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(url)).GET()
                    .header("Origin", pageOrigin).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(Arrays.equals(download.body(), content)).as("the downloaded bytes are the uploaded ones").isTrue();
            assertThat(download.headers().firstValue("Content-Type")).hasValue(FILE_TYPE);
            assertThat(download.headers().firstValue("Access-Control-Allow-Origin")).get().isIn("*", pageOrigin);

            // The preflight Chromium sent before the PUT, as Chromium sends it: what it needed to hear.
            HttpResponse<Void> preflight = http.send(HttpRequest.newBuilder(URI.create(url))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", pageOrigin)
                    .header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "content-type")
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(preflight.statusCode()).isBetween(200, 299);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).get()
                    .isIn("*", pageOrigin);
            assertThat(list(preflight, "Access-Control-Allow-Methods")).contains("put");
            assertThat(list(preflight, "Access-Control-Allow-Headers")).contains("content-type");
        }
    }

    /** A PNG of noise (deterministic), so that the bytes are nothing a transfer could guess. */
    private static byte[] picture(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(363);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    /** {@code http://127.0.0.1:port/} to its origin, {@code http://127.0.0.1:port}. */
    private static String origin(String pageUrl) {
        URI page = URI.create(pageUrl);
        return page.getScheme() + "://" + page.getAuthority();
    }

    private static List<String> list(HttpResponse<?> response, String header) {
        return Arrays.stream(response.headers().firstValue(header).orElse("").split(","))
                .map(value -> value.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
