package im.parley.s2s.tls;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;

/**
 * Checks that a peer certificate names an XMPP domain, per RFC 6120 §13.7.2.1 and RFC 6125 §6:
 * DNS-IDs (dNSName, with a wildcard only as the whole left-most label, RFC 6125 §6.4.3) and
 * XmppAddr-IDs (otherName id-on-xmppAddr, RFC 6120 §13.7.1.4). The Common Name is never used:
 * RFC 6125 §6.4.4 allows it only without subjectAltName, and Parley refuses such certificates.
 * SRV-IDs are not consulted: they are optional (RFC 6125 §6.2.1) and DNS-IDs cover the domain.
 */
public final class CertificateIdentity {

    private static final ASN1ObjectIdentifier ID_ON_XMPP_ADDR = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5");
    private static final int OTHER_NAME = 0;
    private static final int DNS_NAME = 2;

    private CertificateIdentity() {
    }

    /** True if {@code certificate} presents an identifier that matches {@code domain}. */
    public static boolean names(X509Certificate certificate, String domain) {
        String reference;
        try {
            reference = aLabels(domain);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (List<?> name : subjectAltNames(certificate)) {
            int tag = (Integer) name.get(0);
            if (tag == DNS_NAME && name.get(1) instanceof String dns
                    && dnsIdMatches(dns.toLowerCase(Locale.ROOT), reference)) {
                return true;
            }
            if (tag == OTHER_NAME && name.get(1) instanceof byte[] encoded && reference.equals(xmppAddr(encoded))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6125 §6.4.3: "*" is the whole left-most label, matches one label, never over a single-label parent. */
    static boolean dnsIdMatches(String presented, String reference) {
        String p = presented.endsWith(".") ? presented.substring(0, presented.length() - 1) : presented;
        if (p.startsWith("*.")) {
            String parent = p.substring(2);
            int firstDot = reference.indexOf('.');
            return firstDot > 0 && parent.contains(".") && reference.substring(firstDot + 1).equals(parent);
        }
        return !p.contains("*") && p.equals(reference);
    }

    /** The xmppAddr's domain in A-labels, or null when the otherName is something else. */
    private static String xmppAddr(byte[] encoded) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(encoded);
            // The JDK hands the whole GeneralName: [0] IMPLICIT SEQUENCE { type-id, [0] EXPLICIT value }.
            ASN1Sequence sequence = primitive instanceof ASN1TaggedObject tagged
                    ? ASN1Sequence.getInstance(tagged, false)
                    : ASN1Sequence.getInstance(primitive);
            if (sequence.size() < 2 || !ID_ON_XMPP_ADDR.equals(sequence.getObjectAt(0))) {
                return null;
            }
            ASN1Encodable value = sequence.getObjectAt(1);
            while (value instanceof ASN1TaggedObject tagged) {
                value = tagged.getBaseObject();
            }
            return value instanceof ASN1String string ? aLabels(string.getString()) : null;
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** The identifiers a certificate presents, for logs. */
    public static List<String> describe(X509Certificate certificate) {
        List<String> identities = new ArrayList<>();
        for (List<?> name : subjectAltNames(certificate)) {
            int tag = (Integer) name.get(0);
            if (tag == DNS_NAME) {
                identities.add("DNS:" + name.get(1));
            } else if (tag == OTHER_NAME && name.get(1) instanceof byte[] encoded && xmppAddr(encoded) != null) {
                identities.add("xmppAddr:" + xmppAddr(encoded));
            }
        }
        return identities;
    }

    /** Domains compare case-insensitively in A-label form (RFC 6125 §6.4.2). */
    static String aLabels(String domain) {
        String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }
}
