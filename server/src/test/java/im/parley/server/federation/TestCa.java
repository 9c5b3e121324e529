package im.parley.server.federation;

import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.server.config.CertificateFiles;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made inside the test, issuing server certificates for XMPP domains. */
final class TestCa {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private final KeyPair key;
    private final X509Certificate certificate;

    TestCa() throws Exception {
        key = ecKeyPair();
        X500Name name = new X500Name("CN=Parley Test CA");
        Instant now = Instant.now();
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), name, key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    /**
     * A leaf for {@code domain} with a DNS-ID and an XmppAddr-ID (RFC 6120 §13.7.1.4), and a DNS-ID
     * for each of {@code moreDnsNames} (e.g. {@code *.example.org}), for server and client auth.
     */
    KeyMaterial issue(String domain, String... moreDnsNames) throws Exception {
        KeyPair leafKey = ecKeyPair();
        Instant now = Instant.now();
        List<GeneralName> sans = new ArrayList<>(List.of(
            new GeneralName(GeneralName.dNSName, domain),
            new GeneralName(GeneralName.otherName, new OtherName(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5"),
                    new DERUTF8String(domain)))));
        for (String name : moreDnsNames) {
            sans.add(new GeneralName(GeneralName.dNSName, name));
        }
        GeneralNames names = new GeneralNames(sans.toArray(new GeneralName[0]));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Parley Test CA"), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + domain), leafKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, names)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        return new KeyMaterial(leafKey.getPrivate(), List.of(leaf, certificate));
    }

    /** Writes a leaf's chain and key as PEM files in {@code dir} for the {@code tls.certificates} option. */
    CertificateFiles issueFiles(String domain, Path dir, String... moreDnsNames) throws Exception {
        Files.createDirectories(dir);
        Path crt = dir.resolve(domain + ".crt");
        Path pem = dir.resolve(domain + ".key");
        PemFiles.write(issue(domain, moreDnsNames), crt, pem);
        return new CertificateFiles(crt, pem);
    }

    /** The CA certificate as a PEM file, for {@code federation.trusted_ca_file}. */
    Path writeCertificate(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.createDirectories(file.getParent());
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
