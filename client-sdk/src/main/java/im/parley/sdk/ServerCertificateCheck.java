package im.parley.sdk;

import java.net.IDN;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a server certificate chain if it is pinned, or if the authorities trust it and its
 * leaf names the XMPP domain as a DNS-ID (RFC 6120 §13.7.2.1, RFC 6125 §6.4: a wildcard only as
 * the whole left-most label). Doing the name check here, not in a hostname verifier, gives
 * STARTTLS and direct TLS one and the same check.
 */
final class ServerCertificateCheck implements X509TrustManager {
    private static final int DNS_NAME = 2;

    private final String domain;
    private final X509TrustManager authorities;
    private final List<X509Certificate> pins;
    private final TrustFailures failures;

    ServerCertificateCheck(String domain, X509TrustManager authorities, List<X509Certificate> pins,
                           TrustFailures failures) {
        this.domain = IDN.toASCII(domain).toLowerCase(Locale.ROOT);
        this.authorities = authorities;
        this.pins = pins;
        this.failures = failures;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            check(chain, authType);
        } catch (CertificateException e) {
            failures.record(e);
            throw e;
        }
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        if (!pins.isEmpty()) {
            if (!pins.contains(chain[0])) {
                throw new CertificateException("the server's certificate (" + chain[0].getSubjectX500Principal()
                        + ") is not the pinned one");
            }
            return;
        }
        authorities.checkServerTrusted(chain, authType);
        if (!namesDomain(chain[0])) {
            throw new CertificateException("the server's certificate does not name " + domain);
        }
    }

    private boolean namesDomain(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (((Integer) name.get(0)) == DNS_NAME && matches(((String) name.get(1)).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String dnsName) {
        if (dnsName.startsWith("*.")) {
            int dot = domain.indexOf('.');
            return dot > 0 && domain.substring(dot + 1).equals(dnsName.substring(2));
        }
        return dnsName.equals(domain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a chat client does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities == null ? pins.toArray(X509Certificate[]::new) : authorities.getAcceptedIssuers();
    }
}
