package im.parley.s2s.tls;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.tls.CertificateDomainMatcher;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
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
import org.junit.jupiter.api.Test;

/** RFC 6125 §6 and RFC 6120 §13.7.2.1: which certificates prove an XMPP domain, and PKIX validation. */
class PeerCertificateIdentityTest {

    private static final KeyPair CA_KEY = keyPair();
    private static final X509Certificate CA = certificate("CN=CA", CA_KEY, "CN=CA", CA_KEY, true);

    @Test
    void dnsIdsMatchExactlyAndWildcardsCoverOneLabel() {
        X509Certificate cert = leaf("CN=x", dns("example.org"), dns("*.chat.example.org"));
        assertThat(covers(cert, "example.org")).isTrue();
        assertThat(covers(cert, "EXAMPLE.org")).isTrue();
        assertThat(covers(cert, "muc.chat.example.org")).isTrue();
        assertThat(covers(cert, "chat.example.org")).isFalse();
        assertThat(covers(cert, "a.b.chat.example.org")).isFalse();
        assertThat(covers(cert, "example.com")).isFalse();
    }

    @Test
    void aWildcardOverATopLevelDomainCoversNothing() {
        assertThat(covers(leaf("CN=x", dns("*.com")), "example.com")).isFalse();
    }

    @Test
    void xmppAddrIdsMatch() {
        assertThat(covers(leaf("CN=x", xmppAddr("im.example")), "im.example")).isTrue();
        assertThat(covers(leaf("CN=x", xmppAddr("im.example")), "other.example")).isFalse();
    }

    /** RFC 6125 §6.4.4: no fallback to the Common Name. */
    @Test
    void theCommonNameIsNeverUsed() {
        assertThat(covers(leaf("CN=example.org"), "example.org")).isFalse();
        assertThat(covers(leaf("CN=example.org", dns("other.org")), "example.org")).isFalse();
    }

    @Test
    void pkixValidationThenIdentity() {
        PeerCertificateVerifier verifier = new PeerCertificateVerifier(List.of(CA));
        X509Certificate good = leaf("CN=x", dns("example.org"));
        assertThat(verifier.verify(new X509Certificate[] {good, CA}, "example.org"))
                .isEqualTo(PeerCertificateVerifier.Result.VALID);
        assertThat(verifier.verify(new X509Certificate[] {good}, "example.org"))
                .isEqualTo(PeerCertificateVerifier.Result.VALID);
        assertThat(verifier.verify(new X509Certificate[] {good}, "example.net"))
                .isEqualTo(PeerCertificateVerifier.Result.NAME_MISMATCH);
        KeyPair self = keyPair();
        X509Certificate selfSigned = certificate("CN=example.org", self, "CN=example.org", self, false,
                dns("example.org"));
        assertThat(verifier.verify(new X509Certificate[] {selfSigned}, "example.org"))
                .isEqualTo(PeerCertificateVerifier.Result.UNTRUSTED);
        assertThat(verifier.verify(new X509Certificate[0], "example.org"))
                .isEqualTo(PeerCertificateVerifier.Result.NONE);
    }

    private static X509Certificate leaf(String subject, GeneralName... names) {
        return certificate(subject, keyPair(), "CN=CA", CA_KEY, false, names);
    }

    private static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    private static GeneralName xmppAddr(String domain) {
        return new GeneralName(GeneralName.otherName,
                new OtherName(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5"), new DERUTF8String(domain)));
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey,
                                               boolean ca, GeneralName... names) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(now.toEpochMilli() + System.nanoTime() % 1000), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), subjectKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (names.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 6125 matcher of core, which the peer verifier uses. */
    private static boolean covers(X509Certificate certificate, String domain) {
        try {
            return CertificateDomainMatcher.covers(certificate, domain);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
