package im.parley.core.tls;

import static im.parley.core.tls.TestCertificates.dns;
import static im.parley.core.tls.TestCertificates.xmppAddr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void generatesOnceAndReloadsTheSameCertificateAfterARestart() throws Exception {
        KeyMaterial first = new DomainCertificates(dir).loadOrGenerate("example.org");

        assertThat(dir.resolve("example.org.crt")).exists();
        assertThat(dir.resolve("example.org.key")).exists();
        KeyMaterial again = new DomainCertificates(dir).loadOrGenerate("example.org");

        assertThat(again.leaf()).isEqualTo(first.leaf());
        assertThat(again.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    }

    @Test
    void createsTheDirectoryWhenMissingForItsOwnerOnly() throws Exception {
        Path nested = dir.resolve("certs/nested");

        new DomainCertificates(nested).loadOrGenerate("example.org");

        assertThat(nested.resolve("example.org.crt")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("certs"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.resolve("example.org.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void eachDomainGetsItsOwnCertificate() throws Exception {
        DomainCertificates certificates = new DomainCertificates(dir);

        KeyMaterial org = certificates.loadOrGenerate("example.org");
        KeyMaterial net = certificates.loadOrGenerate("example.net");

        assertThat(org.leaf()).isNotEqualTo(net.leaf());
        assertThat(CertificateDomainMatcher.covers(net.leaf(), "example.net")).isTrue();
        assertThat(CertificateDomainMatcher.covers(net.leaf(), "example.org")).isFalse();
    }

    @Test
    void refusesToOverwriteWhenOnlyOneOfTheFilesExists() throws Exception {
        new DomainCertificates(dir).loadOrGenerate("example.org");
        Files.delete(dir.resolve("example.org.key"));

        assertThatThrownBy(() -> new DomainCertificates(dir).loadOrGenerate("example.org"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("example.org.key");
    }

    @Test
    void replacesAnExpiredSelfSignedCertificate() throws Exception {
        Instant now = Instant.now();
        KeyMaterial expired = SelfSignedCertificates.generate(
                "example.org", now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1)));
        PemFiles.write(expired, dir.resolve("example.org.crt"), dir.resolve("example.org.key"));

        KeyMaterial replaced = new DomainCertificates(dir).loadOrGenerate("example.org");

        assertThat(replaced.leaf()).isNotEqualTo(expired.leaf());
        assertThat(replaced.leaf().getNotAfter().toInstant()).isAfter(now);
        assertThat(PemFiles.read(dir.resolve("example.org.crt"), dir.resolve("example.org.key")).leaf())
                .isEqualTo(replaced.leaf());
    }

    @Test
    void rejectsDomainsThatWouldEscapeTheDirectory() {
        assertThatThrownBy(() -> new DomainCertificates(dir).loadOrGenerate("../etc"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new DomainCertificates(dir).loadOrGenerate("a/b"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void loadsOperatorFilesThatCoverTheDomainByDnsId() throws Exception {
        Path[] files = writeCertificateWith(dns("example.org"));

        KeyMaterial loaded = new DomainCertificates(dir).load("example.org", files[0], files[1]);

        assertThat(loaded.chain()).hasSize(1);
        // RFC 6125 §6.4.1: DNS names compare case-insensitively.
        new DomainCertificates(dir).load("EXAMPLE.org", files[0], files[1]);
    }

    /** RFC 6125 §6.4.3: the wildcard is the whole left-most label and stands for exactly one label. */
    @Test
    void aLeftMostWildcardCoversExactlyOneLabel() throws Exception {
        Path[] files = writeCertificateWith(dns("*.example.org"));
        DomainCertificates certificates = new DomainCertificates(dir);

        certificates.load("conference.example.org", files[0], files[1]);

        assertThatThrownBy(() -> certificates.load("example.org", files[0], files[1]))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> certificates.load("a.b.example.org", files[0], files[1]))
                .isInstanceOf(IOException.class);
    }

    @Test
    void wildcardsOnlyAsACompleteLabelOverARealParent() throws Exception {
        DomainCertificates certificates = new DomainCertificates(dir);
        Path[] partial = writeCertificateWith(dns("chat*.example.org"));
        assertThatThrownBy(() -> certificates.load("chat1.example.org", partial[0], partial[1]))
                .isInstanceOf(IOException.class);
        Path[] tld = writeCertificateWith(dns("*.org"));
        assertThatThrownBy(() -> certificates.load("example.org", tld[0], tld[1]))
                .isInstanceOf(IOException.class);
    }

    /** RFC 6120 §13.7.1.4: an XmppAddr identifier names the domain. */
    @Test
    void anXmppAddrCoversTheDomain() throws Exception {
        Path[] files = writeCertificateWith(xmppAddr("example.org"));

        new DomainCertificates(dir).load("example.org", files[0], files[1]);
    }

    @Test
    void rejectsACertificateForAnotherDomainWithAClearMessage() throws Exception {
        Path[] files = writeCertificateWith(dns("example.net"), xmppAddr("example.net"));

        assertThatThrownBy(() -> new DomainCertificates(dir).load("example.org", files[0], files[1]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(files[0].toString())
                .hasMessageContaining("does not cover domain example.org")
                .hasMessageContaining("DNS:example.net")
                .hasMessageContaining("xmppAddr:example.net");
    }

    /** RFC 6125 §6.4.4 allows a CN fallback; Parley does not take it. */
    @Test
    void neverFallsBackToTheCommonName() throws Exception {
        Path[] files = writeCertificateWith();

        assertThatThrownBy(() -> new DomainCertificates(dir).load("test", files[0], files[1]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Common Name");
    }

    private Path[] writeCertificateWith(GeneralName... subjectAltNames) throws Exception {
        Path certificate = Files.createTempFile(dir, "cert", ".pem");
        Path key = dir.resolve(certificate.getFileName() + ".key");
        KeyMaterial material = TestCertificates.selfSignedMaterial(
                TestCertificates.ecKeyPair(), "SHA256withECDSA", subjectAltNames);
        PemFiles.write(material, certificate, key);
        return new Path[] {certificate, key};
    }
}
