package im.parley.core.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and keys built inside the tests, so no binary fixtures are needed. */
final class TestCertificates {

    private static KeyPair cachedRsa;

    private TestCertificates() {
    }

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** RSA 2048 generation takes a noticeable fraction of a second; one pair serves all tests. */
    static synchronized KeyPair rsaKeyPair() throws Exception {
        if (cachedRsa == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            cachedRsa = generator.generateKeyPair();
        }
        return cachedRsa;
    }

    /** A certificate for {@code subjectKey} signed by {@code issuerKey}; SAN entries as given. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey issuerKey,
            String signatureAlgorithm, boolean ca, GeneralName... subjectAltNames) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer),
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + subject),
                subjectKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (subjectAltNames.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectAltNames));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(issuerKey)));
    }

    static X509Certificate selfSigned(KeyPair keyPair, String signatureAlgorithm, GeneralName... subjectAltNames)
            throws Exception {
        return certificate("test", keyPair.getPublic(), "test", keyPair.getPrivate(), signatureAlgorithm, false,
                subjectAltNames);
    }

    static KeyMaterial selfSignedMaterial(KeyPair keyPair, String signatureAlgorithm, GeneralName... subjectAltNames)
            throws Exception {
        return new KeyMaterial(keyPair.getPrivate(), List.of(selfSigned(keyPair, signatureAlgorithm, subjectAltNames)));
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName xmppAddr(String domain) {
        return new GeneralName(GeneralName.otherName,
                new OtherName(XmppCertificateOids.ID_ON_XMPP_ADDR, new DERUTF8String(domain)));
    }

    static TrustManagerFactory trusting(X509Certificate anchor) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("anchor", anchor);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory;
    }
}
