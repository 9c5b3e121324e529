package im.parley.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;

/**
 * The watch reloads after a renewal the way certbot makes one: new files in {@code archive/NAME/},
 * then the links in {@code live/NAME/} replaced one by one, first the chain (whose key then does
 * not match: refused, the old certificate stays), then the key.
 */
class CertificateWatchTest {

    @TempDir
    Path dir;

    @Test
    void aCertbotRenewalIsTakenWithoutACommand() throws Exception {
        DomainBareJid domain = Jids.parseDomain("example.org");
        Path archive = Files.createDirectories(dir.resolve("letsencrypt/archive/example.org"));
        Path live = Files.createDirectories(dir.resolve("letsencrypt/live/example.org"));
        PemFiles.write(SelfSignedCertificates.generate("example.org"), archive.resolve("fullchain1.pem"),
                archive.resolve("privkey1.pem"));
        link(live, "fullchain.pem", archive.resolve("fullchain1.pem"));
        link(live, "privkey.pem", archive.resolve("privkey1.pem"));
        ServerCertificates certificates = new ServerCertificates(new TlsConfig(true, Map.of())
                .withCertificatesDirectory(dir.resolve("letsencrypt/live")), dir.resolve("generated"),
                Clock.systemUTC());
        certificates.addHosts(Map.of(domain, domain));
        List<X509Certificate> presented = new CopyOnWriteArrayList<>();
        certificates.onChange(keys -> {
            if (keys.containsKey(domain)) {
                presented.add(keys.get(domain).leaf());
            }
        });

        try (CertificateWatch watch = CertificateWatch.start(certificates::watchedDirectories, Duration.ofMillis(200),
                certificates::reload)) {
            KeyMaterial renewed = SelfSignedCertificates.generate("example.org");
            PemFiles.write(renewed, archive.resolve("fullchain2.pem"), archive.resolve("privkey2.pem"));
            link(live, "fullchain.pem", archive.resolve("fullchain2.pem"));
            link(live, "privkey.pem", archive.resolve("privkey2.pem"));

            await().atMost(Duration.ofSeconds(60)).until(() -> presented.contains(renewed.leaf()));
            assertThat(presented).containsOnly(renewed.leaf());
        }
    }

    /** certbot's way: a new link beside the old one, renamed over it. */
    private static void link(Path directory, String name, Path target) throws Exception {
        Path fresh = directory.resolve(name + ".new");
        Files.createSymbolicLink(fresh, directory.relativize(target));
        Files.move(fresh, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
