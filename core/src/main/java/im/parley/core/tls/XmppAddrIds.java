package im.parley.core.tls;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * The XmppAddr-IDs of a certificate (otherName id-on-xmppAddr, RFC 6120 §13.7.1.4), which the
 * JDK does not decode: BouncyCastle's ASN.1 does, in this class of its own, so that
 * {@link CertificateDomainMatcher} loads BouncyCastle only for a certificate that has one and no
 * DNS-ID that matched.
 */
final class XmppAddrIds {

    private XmppAddrIds() {
    }

    /** Each xmppAddr's UTF8String as an A-label domain, in certificate order. */
    static List<String> of(X509Certificate certificate) throws IOException {
        List<String> domains = new ArrayList<>();
        for (GeneralName name : subjectAltNames(certificate)) {
            if (name.getTagNo() == GeneralName.otherName) {
                String domain = xmppAddrOf(name);
                if (!domain.isEmpty()) {
                    domains.add(domain);
                }
            }
        }
        return domains;
    }

    /** The xmppAddr's UTF8String as an A-label domain, or "" for any other otherName. */
    private static String xmppAddrOf(GeneralName name) {
        OtherName otherName = OtherName.getInstance(name.getName());
        if (!XmppCertificateOids.ID_ON_XMPP_ADDR.equals(otherName.getTypeID())) {
            return "";
        }
        ASN1Encodable value = otherName.getValue();
        // Some issuers wrap the UTF8String in an extra explicit [0]; accept both.
        while (value instanceof ASN1TaggedObject) {
            value = ((ASN1TaggedObject) value).getExplicitBaseObject();
        }
        if (!(value instanceof ASN1String)) {
            return "";
        }
        try {
            return CertificateDomainMatcher.asciiLowerCase(((ASN1String) value).getString());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static List<GeneralName> subjectAltNames(X509Certificate certificate) throws IOException {
        GeneralNames names;
        try {
            names = GeneralNames.fromExtensions(
                    new JcaX509CertificateHolder(certificate).getExtensions(), Extension.subjectAlternativeName);
        } catch (CertificateEncodingException | IllegalArgumentException e) {
            throw new IOException("cannot read the subjectAltName of " + certificate.getSubjectX500Principal(), e);
        }
        return names == null ? List.of() : List.of(names.getNames());
    }
}
