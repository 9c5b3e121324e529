package im.parley.core.tls;

import static im.parley.core.tls.TestCertificates.dns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files as RFC 7468 defines them and as ACME clients write them (fullchain.pem, privkey.pem). */
class PemFilesTest {

    @TempDir
    Path dir;

    private Path certificateFile() {
        return dir.resolve("fullchain.pem");
    }

    private Path keyFile() {
        return dir.resolve("privkey.pem");
    }

    @Test
    void ecKeyMaterialRoundTripsThroughPkcs8() throws Exception {
        KeyMaterial original = SelfSignedCertificates.generate("example.org");

        PemFiles.write(original, certificateFile(), keyFile());
        KeyMaterial read = PemFiles.read(certificateFile(), keyFile());

        assertThat(Files.readString(keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(certificateFile())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(read.chain()).isEqualTo(original.chain());
        assertThat(read.privateKey().getEncoded()).isEqualTo(original.privateKey().getEncoded());
    }

    @Test
    void rsaKeyMaterialRoundTripsThroughPkcs8() throws Exception {
        KeyMaterial original = TestCertificates.selfSignedMaterial(
                TestCertificates.rsaKeyPair(), "SHA256withRSA", dns("example.org"));

        PemFiles.write(original, certificateFile(), keyFile());
        KeyMaterial read = PemFiles.read(certificateFile(), keyFile());

        assertThat(read.leaf()).isEqualTo(original.leaf());
        assertThat(read.privateKey().getEncoded()).isEqualTo(original.privateKey().getEncoded());
    }

    @Test
    void whatParleyAndCertbotWriteIsReadWithTheJdkAloneAndTheRestIsLeftToBouncyCastle() throws Exception {
        KeyMaterial ec = SelfSignedCertificates.generate("example.org");
        PemFiles.write(ec, certificateFile(), keyFile());
        assertThat(JdkPemReader.read(certificateFile(), keyFile())).hasValueSatisfying(read -> {
            assertThat(read.chain()).isEqualTo(ec.chain());
            assertThat(read.privateKey().getEncoded()).isEqualTo(ec.privateKey().getEncoded());
        });

        KeyPair rsa = TestCertificates.rsaKeyPair();
        writeCertificates(TestCertificates.selfSigned(rsa, "SHA256withRSA", dns("example.org")));
        writeTraditionalKey(rsa);
        assertThat(JdkPemReader.read(certificateFile(), keyFile())).as("PKCS#1 key").isEmpty();
        Files.writeString(keyFile(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(JdkPemReader.read(certificateFile(), keyFile())).as("garbled key").isEmpty();
    }

    @Test
    void readsPkcs1RsaPrivateKey() throws Exception {
        KeyPair rsa = TestCertificates.rsaKeyPair();
        X509Certificate certificate = TestCertificates.selfSigned(rsa, "SHA256withRSA", dns("example.org"));
        writeCertificates(certificate);
        // JcaPEMWriter writes RSA keys in the traditional OpenSSL form, RFC 8017 Appendix A.1.2.
        writeTraditionalKey(rsa);
        assertThat(Files.readString(keyFile())).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        KeyMaterial read = PemFiles.read(certificateFile(), keyFile());

        assertThat(read.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(read.privateKey().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void readsSec1EcPrivateKeyEvenAfterAnEcParametersBlock() throws Exception {
        KeyPair ec = TestCertificates.ecKeyPair();
        X509Certificate certificate = TestCertificates.selfSigned(ec, "SHA256withECDSA", dns("example.org"));
        writeCertificates(certificate);
        String sec1 = sec1Pem(ec);
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        // What `openssl ecparam -name prime256v1 -genkey` prints: the curve OID, then the key.
        Files.writeString(keyFile(), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1);

        KeyMaterial read = PemFiles.read(certificateFile(), keyFile());

        assertThat(read.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(PemFiles.KeyPairs.matches(read.privateKey(), certificate)).isTrue();
    }

    @Test
    void readsAFullChainLeafFirst() throws Exception {
        KeyPair caKeys = TestCertificates.ecKeyPair();
        KeyPair leafKeys = TestCertificates.ecKeyPair();
        X509Certificate ca = TestCertificates.certificate("Test CA", caKeys.getPublic(), "Test CA", caKeys.getPrivate(),
                "SHA256withECDSA", true);
        X509Certificate leaf = TestCertificates.certificate("example.org", leafKeys.getPublic(), "Test CA",
                caKeys.getPrivate(), "SHA256withECDSA", false, dns("example.org"));
        PemFiles.write(new KeyMaterial(leafKeys.getPrivate(), List.of(leaf, ca)), certificateFile(), keyFile());

        assertThat(PemFiles.read(certificateFile(), keyFile()).chain()).containsExactly(leaf, ca);

        writeCertificates(ca, leaf);
        assertThatThrownBy(() -> PemFiles.read(certificateFile(), keyFile()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(certificateFile().toString())
                .hasMessageContaining("leaf first");
    }

    @Test
    void rejectsAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), keyFile());
        Path otherKey = dir.resolve("other.key");
        PemFiles.write(SelfSignedCertificates.generate("example.org"), dir.resolve("other.crt"), otherKey);

        assertThatThrownBy(() -> PemFiles.read(certificateFile(), otherKey))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(otherKey.toString())
                .hasMessageContaining("does not belong");
    }

    @Test
    void rejectsAnRsaKeyForAnEcCertificate() throws Exception {
        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), keyFile());
        writeTraditionalKey(TestCertificates.rsaKeyPair());

        assertThatThrownBy(() -> PemFiles.read(certificateFile(), keyFile()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> PemFiles.read(certificateFile(), keyFile()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(certificateFile().toString());

        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), dir.resolve("elsewhere.key"));
        assertThatThrownBy(() -> PemFiles.read(certificateFile(), keyFile()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(keyFile().toString());
    }

    @Test
    void garbledFilesAreNamed() throws Exception {
        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), keyFile());
        Path garbled = dir.resolve("garbled.pem");

        Files.writeString(garbled, "-----BEGIN CERTIFICATE-----\n@@@ not base64 @@@\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.read(garbled, keyFile()))
                .isInstanceOf(IOException.class).hasMessageContaining(garbled.toString());

        Files.writeString(garbled, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.read(garbled, keyFile()))
                .isInstanceOf(IOException.class).hasMessageContaining(garbled.toString());

        Files.writeString(garbled, "no PEM here\n");
        assertThatThrownBy(() -> PemFiles.read(garbled, keyFile()))
                .isInstanceOf(IOException.class).hasMessageContaining(garbled.toString());
        assertThatThrownBy(() -> PemFiles.read(certificateFile(), garbled))
                .isInstanceOf(IOException.class).hasMessageContaining(garbled.toString());

        assertThatThrownBy(() -> PemFiles.read(keyFile(), keyFile()))
                .isInstanceOf(IOException.class).hasMessageContaining("only CERTIFICATE");
        assertThatThrownBy(() -> PemFiles.read(certificateFile(), certificateFile()))
                .isInstanceOf(IOException.class).hasMessageContaining(certificateFile().toString());
    }

    @Test
    void keyAndCertificateAreReadableByTheirOwnerOnly() throws Exception {
        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), keyFile());

        if (keyFile().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificateFile())))
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactlyInAnyOrder(certificateFile(), keyFile());
        }
    }

    @Test
    void overwritesExistingFiles() throws Exception {
        PemFiles.write(SelfSignedCertificates.generate("example.org"), certificateFile(), keyFile());
        KeyMaterial second = SelfSignedCertificates.generate("example.org");

        PemFiles.write(second, certificateFile(), keyFile());

        assertThat(PemFiles.read(certificateFile(), keyFile()).leaf()).isEqualTo(second.leaf());
    }

    private void writeCertificates(X509Certificate... certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        }
        Files.writeString(certificateFile(), text.toString(), StandardCharsets.US_ASCII);
    }

    /** RFC 5915 §3 as OpenSSL writes it: the curve in parameters [0] and the public key in [1]. */
    private static String sec1Pem(KeyPair ec) throws IOException {
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        ECPrivateKey withoutCurve = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
        ECPrivateKey sec1 = new ECPrivateKey(256, withoutCurve.getKey(),
                SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded()).getPublicKeyData(),
                pkcs8.getPrivateKeyAlgorithm().getParameters());
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            pem.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return text.toString();
    }

    private void writeTraditionalKey(KeyPair keyPair) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(keyPair.getPrivate());
        }
        Files.writeString(keyFile(), text.toString(), StandardCharsets.US_ASCII);
    }
}
