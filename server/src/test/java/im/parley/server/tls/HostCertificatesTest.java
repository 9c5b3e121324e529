package im.parley.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.ParleyServer;
import im.parley.server.config.ConfigLoader;
import im.parley.server.testing.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each host presents its own certificate, chosen per connection (RFC 6120 §13.7.1.2): by SNI
 * (RFC 6066 §3) on the direct TLS port (XEP-0368) and the HTTPS listener, by the stream header's
 * {@code to} on STARTTLS (RFC 6120 §5.4). Certificates come from {@code tls.certificates} (a
 * hosted domain, and a service domain with an entry of its own) and from
 * {@code tls.certificates_dir} in Prosody's layout ({@code NAME.crt}/{@code NAME.key}) and
 * certbot's ({@code live/NAME/fullchain.pem}/{@code privkey.pem}), matched to hosts by their
 * subjectAltNames (RFC 6125 §6.4): a certificate naming the service beats its domain's
 * {@code *.capulet.example}.
 */
class HostCertificatesTest {

    private static final String IP = "127.0.0.1";

    @TempDir
    static Path dir;
    private static ParleyServer server;
    private static KeyMaterial capulet;
    private static KeyMaterial montague;
    private static KeyMaterial upload;
    private static KeyMaterial conference;

    @BeforeAll
    static void start() throws Exception {
        capulet = SelfSignedCertificates.generate("capulet.example");
        upload = SelfSignedCertificates.generate("upload.capulet.example");
        montague = SelfSignedCertificates.generate("montague.example");
        conference = SelfSignedCertificates.generate("conference.capulet.example");
        Path own = dir.resolve("own");
        Files.createDirectories(own);
        PemFiles.write(capulet, own.resolve("capulet.crt"), own.resolve("capulet.key"));
        PemFiles.write(upload, own.resolve("upload.crt"), own.resolve("upload.key"));
        Path certificates = dir.resolve("certificates");
        Files.createDirectories(certificates.resolve("live/conference"));
        PemFiles.write(montague, certificates.resolve("montague.example.crt"), certificates.resolve("montague.example.key"));
        PemFiles.write(conference, certificates.resolve("live/conference/fullchain.pem"),
                certificates.resolve("live/conference/privkey.pem"));
        server = new ParleyServer(ConfigLoader.load(Files.writeString(dir.resolve("parley.yml"), """
                domains: [capulet.example, montague.example]
                data_dir: "%s"
                c2s: {port: 0}
                direct_tls: {port: 0}
                http: {enabled: false}
                https: {enabled: true, port: 0}
                tls:
                  certificates:
                    capulet.example: {certificate: "%s", private_key: "%s"}
                    upload.capulet.example: {certificate: "%s", private_key: "%s"}
                  certificates_dir: "%s"
                """.formatted(dir.resolve("data"), own.resolve("capulet.crt"), own.resolve("capulet.key"),
                own.resolve("upload.crt"), own.resolve("upload.key"), certificates))));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void directTlsPicksByServerName() throws Exception {
        assertThat(directTls("capulet.example")).isEqualTo(capulet.leaf());
        assertThat(directTls("montague.example")).isEqualTo(montague.leaf());
        assertThat(directTls("upload.capulet.example")).isEqualTo(upload.leaf());
        assertThat(directTls("conference.capulet.example")).isEqualTo(conference.leaf());
    }

    @Test
    void startTlsPicksByTheStreamsDomain() throws Exception {
        for (var expected : java.util.Map.of("capulet.example", capulet, "montague.example", montague).entrySet()) {
            try (TlsProbe probe = TlsProbe.startTls(IP, server.c2sPort(), expected.getKey())) {
                assertThat(probe.certificate()).as(expected.getKey()).isEqualTo(expected.getValue().leaf());
            }
        }
    }

    @Test
    void httpsPicksByServerName() throws Exception {
        assertThat(https("upload.capulet.example")).isEqualTo(upload.leaf());
        assertThat(https("capulet.example")).isEqualTo(capulet.leaf());
        assertThat(https("montague.example")).isEqualTo(montague.leaf());
    }

    @Test
    void aNameThatIsNoHostGetsACertificateThatCoversIt() throws Exception {
        // The machine's own name, as in a host-meta URL: capulet's certificate names *.capulet.example.
        assertThat(https("xmpp.capulet.example")).isEqualTo(capulet.leaf());
        // Nothing covers it: the first domain's.
        assertThat(https("elsewhere.example")).isEqualTo(capulet.leaf());
    }

    @Test
    void aServiceWithoutACertificateOfItsOwnPresentsItsDomains() {
        // proxy65 is off; montague's group chat service is covered by montague's *.montague.example.
        assertThat(server.certificate("conference.montague.example")).isEqualTo(montague.leaf());
        assertThat(server.certificate("upload.capulet.example")).isEqualTo(upload.leaf());
    }

    private static X509Certificate directTls(String serverName) throws Exception {
        try (TlsProbe probe = TlsProbe.directTls(IP, server.directTlsPort(), serverName)) {
            return probe.certificate();
        }
    }

    private static X509Certificate https(String serverName) throws Exception {
        try (TlsProbe probe = TlsProbe.directTls(IP, server.httpsPort(), serverName)) {
            return probe.certificate();
        }
    }
}
