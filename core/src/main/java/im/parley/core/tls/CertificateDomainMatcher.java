package im.parley.core.tls;

import java.io.IOException;
import java.net.IDN;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Decides whether a certificate is valid for an XMPP domain, following RFC 6120 §13.7.2.1 and
 * RFC 6125 §6: the reference identity is the domain; presented identifiers are DNS-IDs
 * (dNSName, RFC 6125 §6.4.1, with a wildcard only as the complete left-most label, §6.4.3) and
 * XmppAddr-IDs (otherName id-on-xmppAddr, RFC 6120 §13.7.1.4). The Common Name is never
 * consulted: RFC 6125 §6.4.4 allows it only when the certificate has no subjectAltName, and
 * Parley does not accept such certificates. Used for Parley's own certificates and for the
 * certificates of federation peers (RFC 6120 §13.7.2.1).
 */
public final class CertificateDomainMatcher {

    private CertificateDomainMatcher() {
    }

    /**
     * True if the certificate presents a DNS-ID or XmppAddr-ID matching {@code domain}; false
     * for a domain that is not a valid IDN.
     *
     * @throws IOException if the subjectAltName extension cannot be read
     */
    public static boolean covers(X509Certificate certificate, String domain) throws IOException {
        String reference;
        try {
            reference = asciiLowerCase(domain);
        } catch (IllegalArgumentException notADomain) {
            return false;
        }
        for (GeneralName name : subjectAltNames(certificate)) {
            if (name.getTagNo() == GeneralName.dNSName
                    && dnsIdMatches(stringOf(name.getName()).toLowerCase(Locale.ROOT), reference)) {
                return true;
            }
            if (name.getTagNo() == GeneralName.otherName && xmppAddrOf(name).equals(reference)) {
                return true;
            }
        }
        return false;
    }

    /** The identifiers the certificate presents, for error messages. */
    public static List<String> describeIdentities(X509Certificate certificate) throws IOException {
        List<String> identities = new ArrayList<>();
        for (GeneralName name : subjectAltNames(certificate)) {
            if (name.getTagNo() == GeneralName.dNSName) {
                identities.add("DNS:" + stringOf(name.getName()));
            } else if (name.getTagNo() == GeneralName.otherName && !xmppAddrOf(name).isEmpty()) {
                identities.add("xmppAddr:" + xmppAddrOf(name));
            }
        }
        return identities;
    }

    /**
     * RFC 6125 §6.4.3: "*" may only be the whole left-most label and matches exactly one label.
     * dNSName values are A-labels already (RFC 5280 §4.2.1.6), so only case is folded.
     */
    private static boolean dnsIdMatches(String presented, String reference) {
        if (presented.startsWith("*.")) {
            String parent = presented.substring(2);
            int firstDot = reference.indexOf('.');
            // A wildcard over a single-label parent (*.com) would cover a whole top-level domain.
            return firstDot > 0 && parent.contains(".") && reference.substring(firstDot + 1).equals(parent);
        }
        return presented.equals(reference);
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
            return asciiLowerCase(((ASN1String) value).getString());
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

    private static String stringOf(ASN1Encodable encodable) {
        return ((ASN1String) encodable).getString();
    }

    /** DNS names compare case-insensitively in their A-label form (RFC 6125 §6.4.2). */
    private static String asciiLowerCase(String domain) {
        String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }
}
