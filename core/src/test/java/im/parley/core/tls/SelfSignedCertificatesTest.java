package im.parley.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;

class SelfSignedCertificatesTest {

    private final KeyMaterial generated = SelfSignedCertificates.generate("example.org");
    private final X509Certificate certificate = generated.leaf();

    @Test
    void namesTheDomainAsDnsIdsAndAsXmppAddrPerRfc6120Section13_7_1_4() throws Exception {
        List<String> dnsNames = new ArrayList<>();
        for (List<?> entry : certificate.getSubjectAlternativeNames()) {
            if ((Integer) entry.get(0) == GeneralName.dNSName) {
                dnsNames.add((String) entry.get(1));
            }
        }
        assertThat(dnsNames).containsExactlyInAnyOrder("example.org", "*.example.org");

        GeneralNames names = GeneralNames.fromExtensions(
                new JcaX509CertificateHolder(certificate).getExtensions(), Extension.subjectAlternativeName);
        List<String> xmppAddrs = new ArrayList<>();
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.otherName) {
                OtherName otherName = OtherName.getInstance(name.getName());
                assertThat(otherName.getTypeID()).isEqualTo(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5"));
                xmppAddrs.add(((ASN1String) otherName.getValue()).getString());
            }
        }
        assertThat(xmppAddrs).containsExactly("example.org");
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=example.org");
    }

    @Test
    void isSelfSignedEcP256WithSha256AndVerifiesWithItsOwnKey() throws Exception {
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(PemFiles.KeyPairs.matches(generated.privateKey(), certificate)).isTrue();
    }

    @Test
    void isAnEndEntityForServerAndClientAuthentication() throws Exception {
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getExtendedKeyUsage())
                .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    @Test
    void isValidFromYesterdayForTwoYearsWithARandomSerial() {
        Instant now = Instant.now();
        assertThat(certificate.getNotBefore().toInstant())
                .isBetween(now.minus(Duration.ofDays(1)).minusSeconds(60), now.minus(Duration.ofDays(1)).plusSeconds(1));
        assertThat(certificate.getNotAfter().toInstant())
                .isBetween(now.plus(Duration.ofDays(729)), now.plus(Duration.ofDays(732)));
        assertThat(certificate.getSerialNumber().signum()).isPositive();
        assertThat(SelfSignedCertificates.generate("example.org").leaf().getSerialNumber())
                .isNotEqualTo(certificate.getSerialNumber());
    }

    @Test
    void internationalizedDomainsUseALabelsInDnsNamesAndUtf8InXmppAddr() throws Exception {
        X509Certificate idn = SelfSignedCertificates.generate("bücher.example").leaf();
        Collection<List<?>> names = idn.getSubjectAlternativeNames();
        assertThat(names).anySatisfy(entry -> assertThat(entry.get(1)).isEqualTo("xn--bcher-kva.example"));
        assertThat(CertificateDomainMatcher.covers(idn, "bücher.example")).isTrue();
        assertThat(CertificateDomainMatcher.describeIdentities(idn)).contains("xmppAddr:xn--bcher-kva.example");
    }
}
