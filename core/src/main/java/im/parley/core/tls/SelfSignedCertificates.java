package im.parley.core.tls;

import java.math.BigInteger;
import java.net.IDN;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed server certificates for a domain that has no operator-provided certificate.
 *
 * <p>The certificate names the domain the ways XMPP clients and peers look for it: a DNS-ID
 * (dNSName, RFC 6125 §6.4) for the domain and for its subdomains (for components and MUC
 * services), and an XmppAddr-ID (otherName id-on-xmppAddr, RFC 6120 §13.7.1.4). The key is
 * EC P-256 with an ECDSA-with-SHA256 signature, which every maintained TLS stack accepts.
 *
 * <p>Key generation and signing use the JDK's own JCA providers; BouncyCastle only builds the
 * certificate structure, so nothing is registered globally.
 */
public final class SelfSignedCertificates {

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificates() {
    }

    /**
     * Generates a key pair and a self-signed certificate for {@code domain}, valid from one day
     * ago (to tolerate clock skew) for two years.
     */
    public static KeyMaterial generate(String domain) {
        Instant now = Instant.now();
        Instant notAfter = now.atZone(ZoneOffset.UTC).plusYears(2).toInstant();
        return generate(domain, now.minus(BACKDATE), notAfter);
    }

    /** The same with a validity period of the caller's choice (tests: expired or not yet valid). */
    public static KeyMaterial generate(String domain, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keyPair = newEcP256KeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build();
            JcaX509ExtensionUtils extensionUtils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    randomSerial(),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(domain))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensionUtils.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensionUtils.createAuthorityKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new KeyMaterial(keyPair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            // The JDK always ships EC P-256 and SHA256withECDSA; failing here is a broken runtime.
            throw new IllegalStateException("cannot generate a self-signed certificate for " + domain, e);
        }
    }

    /** RFC 6125 §6.4: dNSName entries carry A-labels; RFC 6120 §13.7.1.4: xmppAddr carries UTF-8. */
    private static GeneralNames subjectAltNames(String domain) {
        String aLabels = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        return new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, aLabels),
            new GeneralName(GeneralName.dNSName, "*." + aLabels),
            new GeneralName(GeneralName.otherName,
                    new OtherName(XmppCertificateOids.ID_ON_XMPP_ADDR, new DERUTF8String(domain))),
        });
    }

    private static KeyPair newEcP256KeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; 159 random bits fit. */
    private static BigInteger randomSerial() {
        return new BigInteger(159, RANDOM).setBit(0);
    }
}
