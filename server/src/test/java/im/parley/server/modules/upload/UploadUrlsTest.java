package im.parley.server.modules.upload;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.module.RunningServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where a slot's URLs point (XEP-0363 §4: "The host MUST provide Transport Layer Security"): the
 * public URL behind a proxy, else the HTTPS listener, else the HTTP one.
 */
class UploadUrlsTest {

    private static final String PREFIX = "/upload/upload.parley.test/";

    @Test
    void thePublicUrlWinsAndTheFileNameIsEncoded() throws Exception {
        UploadUrls urls = new UploadUrls(Jids.parseDomain("upload.parley.test"), PREFIX, "https://files.parley.test/");
        urls.listening(running(new InetSocketAddress("127.0.0.1", 5280), null));

        assertThat(urls.of("TOKEN", "a b+c/é.txt")).hasValue(
                "https://files.parley.test/upload/upload.parley.test/TOKEN/a%20b%2Bc%2F%C3%A9.txt");
    }

    @Test
    void theHttpsListenerComesFirstNamedByTheServicesDomainUnlessOnLoopback() throws Exception {
        UploadUrls wildcard = new UploadUrls(Jids.parseDomain("upload.parley.test"), PREFIX, null);
        wildcard.listening(running(new InetSocketAddress("0.0.0.0", 5280), new InetSocketAddress("0.0.0.0", 5443)));
        assertThat(wildcard.of("T", "a")).hasValue("https://upload.parley.test:5443" + PREFIX + "T/a");

        UploadUrls loopback = new UploadUrls(Jids.parseDomain("upload.parley.test"), PREFIX, null);
        assertThat(loopback.listening(running(new InetSocketAddress("::1", 5280), null)))
                .contains("only local clients");
        assertThat(loopback.of("T", "a")).hasValue("http://[0:0:0:0:0:0:0:1]:5280" + PREFIX + "T/a");
    }

    @Test
    void withoutListenerOrPublicUrlThereIsNoUrl() throws Exception {
        UploadUrls urls = new UploadUrls(Jids.parseDomain("upload.parley.test"), PREFIX, null);

        assertThat(urls.listening(running(null, null))).contains("no HTTP listener");
        assertThat(urls.of("T", "a")).isEmpty();
    }

    private static RunningServer running(InetSocketAddress http, InetSocketAddress https) {
        return new RunningServer() {
            @Override
            public Optional<InetSocketAddress> componentListener() {
                return Optional.empty();
            }

            @Override
            public Optional<String> componentSecret(String domain) {
                return Optional.empty();
            }

            @Override
            public Path dataDir() {
                return Path.of(".");
            }

            @Override
            public Optional<InetSocketAddress> httpListener() {
                return Optional.ofNullable(http);
            }

            @Override
            public Optional<InetSocketAddress> httpsListener() {
                return Optional.ofNullable(https);
            }
        };
    }
}
