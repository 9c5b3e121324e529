package im.parley.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;

/**
 * Which certificate each host gets, and what a reload changes: certbot's renewal in place, a
 * second certificate that lasts longer, a refused file, and a directory that cannot be read.
 */
class ServerCertificatesTest {

    private static final DomainBareJid DOMAIN = domain("example.org");
    private static final DomainBareJid UPLOAD = domain("upload.example.org");

    @TempDir
    Path dir;
    /** The leaf certificates of each change handed to the sink. */
    private final List<Map<DomainBareJid, X509Certificate>> changes = new ArrayList<>();

    @Test
    void aRenewalInCertbotsLayoutIsTakenByTheDomainAndItsService() throws Exception {
        Path lineage = dir.resolve("letsencrypt/live/example.org");
        KeyMaterial first = write(lineage, "example.org");
        ServerCertificates certificates = started(new TlsConfig(true, Map.of()).withCertificatesDirectory(
                dir.resolve("letsencrypt")));
        KeyMaterial renewed = write(lineage, "example.org");

        ReloadReport report = certificates.reload();

        assertThat(report.failures()).isZero();
        assertThat(changes).containsExactly(Map.of(DOMAIN, renewed.leaf(), UPLOAD, renewed.leaf()));
        assertThat(report.lines()).anySatisfy(line -> assertThat(line).startsWith("example.org: new certificate"));
        assertThat(first).isNotEqualTo(renewed);
        // Nothing changed on disk: nothing changes.
        changes.clear();
        assertThat(certificates.reload().lines()).allSatisfy(line -> assertThat(line).contains(": unchanged, "));
        assertThat(changes).containsExactly(Map.of());
    }

    @Test
    void ofTwoCertificatesNamingAHostTheOneValidLongerWins() throws Exception {
        Path certs = dir.resolve("certs");
        Instant now = Instant.now();
        write(certs, "a", SelfSignedCertificates.generate("example.org", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10))));
        ServerCertificates certificates = started(new TlsConfig(true, Map.of()).withCertificatesDirectory(certs));
        KeyMaterial longer = write(certs, "b", SelfSignedCertificates.generate("example.org",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80))));

        certificates.reload();

        assertThat(changes).containsExactly(Map.of(DOMAIN, longer.leaf(), UPLOAD, longer.leaf()));
    }

    @Test
    void aRefusedFileInTheDirectoryLeavesItsHostsTheirCertificate() throws Exception {
        Path certs = dir.resolve("certs");
        write(certs, "example.org", SelfSignedCertificates.generate("example.org"));
        ServerCertificates certificates = started(new TlsConfig(true, Map.of()).withCertificatesDirectory(certs));
        Files.writeString(certs.resolve("example.org.key"), "garbage");

        ReloadReport report = certificates.reload();

        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.lines()).anySatisfy(line -> assertThat(line).startsWith("refused "))
                .anySatisfy(line -> assertThat(line).startsWith("example.org: kept, "));
        // Not the generated self-signed certificate: nothing changes.
        assertThat(changes).containsExactly(Map.of());
    }

    @Test
    void aDirectoryThatCannotBeListedStopsTheStartAndLaterKeepsEverything() throws Exception {
        Path certs = dir.resolve("certs");
        TlsConfig config = new TlsConfig(true, Map.of()).withCertificatesDirectory(certs);
        assertThatThrownBy(() -> new ServerCertificates(config, dir.resolve("generated"), Clock.systemUTC())
                .addHosts(Map.of(DOMAIN, DOMAIN))).isInstanceOf(IOException.class)
                .hasMessageContaining("tls.certificates_dir: cannot list " + certs);

        write(certs, "example.org", SelfSignedCertificates.generate("example.org"));
        ServerCertificates certificates = started(config);
        Files.move(certs, dir.resolve("moved"));

        assertThat(certificates.reload().failures()).isEqualTo(1);
        assertThat(changes).containsExactly(Map.of());
    }

    @Test
    void aServiceWithAnEntryOfItsOwnKeepsItAndOnlyTheDomainFollowsItsFile() throws Exception {
        Path certs = dir.resolve("certs");
        KeyMaterial upload = write(certs, "upload", SelfSignedCertificates.generate("upload.example.org"));
        TlsConfig config = new TlsConfig(true, Map.of("upload.example.org",
                new CertificateFiles(certs.resolve("upload.crt"), certs.resolve("upload.key"))));
        ServerCertificates certificates = new ServerCertificates(config, dir.resolve("generated"), Clock.systemUTC());

        Map<DomainBareJid, KeyMaterial> hosted = certificates.addHosts(Map.of(DOMAIN, DOMAIN));
        Map<DomainBareJid, KeyMaterial> services = certificates.addHosts(Map.of(UPLOAD, DOMAIN));

        assertThat(services.get(UPLOAD).leaf()).isEqualTo(upload.leaf());
        // The hosted domain has none that names it: the one generated into the data directory.
        assertThat(hosted.get(DOMAIN).leaf().getSubjectX500Principal().getName()).isEqualTo("CN=example.org");
        assertThat(Files.exists(dir.resolve("generated/example.org.crt"))).isTrue();
        assertThat(certificates.unusedEntries()).isEmpty();
    }

    private ServerCertificates started(TlsConfig config) throws IOException {
        ServerCertificates certificates = new ServerCertificates(config, dir.resolve("generated"), Clock.systemUTC());
        Map<DomainBareJid, DomainBareJid> hosted = new LinkedHashMap<>();
        hosted.put(DOMAIN, DOMAIN);
        certificates.addHosts(hosted);
        certificates.addHosts(Map.of(UPLOAD, DOMAIN));
        certificates.onChange(keys -> {
            Map<DomainBareJid, X509Certificate> leaves = new LinkedHashMap<>();
            keys.forEach((host, key) -> leaves.put(host, key.leaf()));
            changes.add(leaves);
        });
        return certificates;
    }

    /** certbot's layout: {@code fullchain.pem} and {@code privkey.pem} in the lineage directory. */
    private static KeyMaterial write(Path lineage, String domain) throws IOException {
        KeyMaterial key = SelfSignedCertificates.generate(domain);
        Files.createDirectories(lineage);
        PemFiles.write(key, lineage.resolve("fullchain.pem"), lineage.resolve("privkey.pem"));
        return key;
    }

    /** Prosody's layout: {@code NAME.crt} and {@code NAME.key}. */
    private static KeyMaterial write(Path directory, String name, KeyMaterial key) throws IOException {
        Files.createDirectories(directory);
        PemFiles.write(key, directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
        return key;
    }

    private static DomainBareJid domain(String name) {
        try {
            return Jids.parseDomain(name);
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
