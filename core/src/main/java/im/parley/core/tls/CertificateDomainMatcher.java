package im.parley.core.tls;

import java.io.IOException;
import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

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

    /** GeneralName tags (RFC 5280 §4.2.1.6), as {@link X509Certificate#getSubjectAlternativeNames()} gives them. */
    private static final int OTHER_NAME = 0;
    private static final int DNS_NAME = 2;

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
        boolean otherNames = false;
        for (List<?> name : jdkSubjectAltNames(certificate)) {
            Object tag = name.get(0);
            if (Integer.valueOf(DNS_NAME).equals(tag) && name.get(1) instanceof String dns
                    && dnsIdMatches(dns.toLowerCase(Locale.ROOT), reference)) {
                return true;
            }
            otherNames |= Integer.valueOf(OTHER_NAME).equals(tag);
        }
        return otherNames && XmppAddrIds.of(certificate).contains(reference);
    }

    /**
     * The JDK's decoding of the subjectAltName: dNSName entries as strings. Only an otherName
     * (xmppAddr) needs BouncyCastle's ASN.1 ({@link XmppAddrIds}), so the usual certificate, which a
     * DNS-ID covers, is checked without loading BouncyCastle at start (issue 19; {@link JdkPemReader}
     * says why).
     */
    private static Collection<List<?>> jdkSubjectAltNames(X509Certificate certificate) throws IOException {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            throw new IOException("cannot read the subjectAltName of " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The identifiers the certificate presents, for error messages. */
    public static List<String> describeIdentities(X509Certificate certificate) throws IOException {
        List<String> identities = new ArrayList<>();
        for (List<?> name : jdkSubjectAltNames(certificate)) {
            if (Integer.valueOf(DNS_NAME).equals(name.get(0))) {
                identities.add("DNS:" + name.get(1));
            }
        }
        for (String xmppAddr : XmppAddrIds.of(certificate)) {
            identities.add("xmppAddr:" + xmppAddr);
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

    /** DNS names compare case-insensitively in their A-label form (RFC 6125 §6.4.2). */
    static String asciiLowerCase(String domain) {
        String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }
}
