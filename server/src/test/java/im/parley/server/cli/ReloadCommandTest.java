package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.ParleyServer;
import im.parley.server.config.ConfigLoader;
import im.parley.server.testing.TlsProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley reload} against a running server: the certificate files of a domain are replaced
 * on disk (a Let's Encrypt renewal), and after the reload new connections get the new certificate
 * (RFC 6120 §13.7.1.2: the server presents its domain's certificate) while a connection made
 * before keeps its TLS session and goes on working. A bad new file (unreadable, key not matching,
 * expired) is refused: the command says so and exits 3, and the old certificate stays.
 */
class ReloadCommandTest {

    private static final String DOMAIN = "capulet.example";
    private static final String IP = "127.0.0.1";

    @TempDir
    Path dir;
    private Path certificate;
    private Path key;
    private Path config;
    private ParleyServer server;
    private String out;
    private String err;

    @BeforeEach
    void start() throws Exception {
        certificate = dir.resolve("certs/" + DOMAIN + ".crt");
        key = dir.resolve("certs/" + DOMAIN + ".key");
        Files.createDirectories(certificate.getParent());
        PemFiles.write(SelfSignedCertificates.generate(DOMAIN), certificate, key);
        config = Files.writeString(dir.resolve("parley.yml"), "domains: [" + DOMAIN + "]\n"
                + "data_dir: \"" + dir.resolve("data") + "\"\n"
                + "c2s: {port: 0}\ndirect_tls: {port: 0}\nhttp: {enabled: false}\n"
                // Without the watch: the command alone reloads, when the test says.
                + "tls:\n  watch: false\n  certificates:\n    " + DOMAIN + ": {certificate: \"" + certificate + "\", private_key: \""
                + key + "\"}\n");
        server = new ParleyServer(ConfigLoader.load(config));
        server.start();
        server.accounts().create(Jids.parseEntityBare("juliet@" + DOMAIN), "secret");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void newConnectionsGetTheRenewedCertificateAndOpenOnesGoOn() throws Exception {
        try (TlsProbe before = TlsProbe.directTls(IP, server.directTlsPort(), DOMAIN)) {
            assertThat(before.certificate()).isEqualTo(server.certificate(DOMAIN));
            KeyMaterial renewed = SelfSignedCertificates.generate(DOMAIN);
            PemFiles.write(renewed, certificate, key);

            assertThat(run("reload", "--config", config.toString())).isZero();

            assertThat(out).contains(DOMAIN + ": new certificate, serial "
                    + renewed.leaf().getSerialNumber().toString(16));
            assertThat(server.certificate(DOMAIN)).isEqualTo(renewed.leaf());
            try (TlsProbe after = TlsProbe.directTls(IP, server.directTlsPort(), DOMAIN)) {
                assertThat(after.certificate()).isEqualTo(renewed.leaf());
            }
            try (TlsProbe afterStartTls = TlsProbe.startTls(IP, server.c2sPort(), DOMAIN)) {
                assertThat(afterStartTls.certificate()).isEqualTo(renewed.leaf());
            }
            // The connection made before the reload still has its session, and logs in on it.
            assertThat(before.certificate()).isNotEqualTo(renewed.leaf());
            before.openStream(DOMAIN);
            before.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                    + Base64.getEncoder().encodeToString(("\0juliet\0secret").getBytes(StandardCharsets.UTF_8))
                    + "</auth>");
            assertThat(before.readUntil(Pattern.compile("<success[^>]*/?>"))).contains("success");
        }
    }

    @Test
    void anUnreadableFileKeepsTheCertificateInUse() throws Exception {
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        assertRefusedAndKept("refused " + certificate);
    }

    @Test
    void aKeyThatDoesNotMatchKeepsTheCertificateInUse() throws Exception {
        KeyMaterial other = SelfSignedCertificates.generate(DOMAIN);
        PemFiles.write(other, certificate, dir.resolve("other.key"));
        assertRefusedAndKept("does not belong to the first certificate of " + certificate);
    }

    @Test
    void anExpiredCertificateKeepsTheCertificateInUse() throws Exception {
        Instant now = Instant.now();
        PemFiles.write(SelfSignedCertificates.generate(DOMAIN, now.minus(Duration.ofDays(90)),
                now.minus(Duration.ofDays(1))), certificate, key);
        assertRefusedAndKept("expired on ");
    }

    @Test
    void reloadWithoutAServerExitsThree() throws Exception {
        server.close();
        assertThat(run("reload", "--config", config.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).contains("parley is not running");
    }

    private void assertRefusedAndKept(String why) throws Exception {
        var inUse = server.certificate(DOMAIN);

        assertThat(run("reload", "--config", config.toString())).isEqualTo(ExitCodes.FAILURE);

        assertThat(out).contains(why).contains(DOMAIN + ": kept, ");
        assertThat(err).contains("1 certificate was refused");
        assertThat(server.certificate(DOMAIN)).isEqualTo(inUse);
        try (TlsProbe after = TlsProbe.directTls(IP, server.directTlsPort(), DOMAIN)) {
            assertThat(after.certificate()).isEqualTo(inUse);
        }
    }

    private int run(String... args) {
        CommandRun run = CommandRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }
}
