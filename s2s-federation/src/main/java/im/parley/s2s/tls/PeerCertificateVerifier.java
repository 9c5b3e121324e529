package im.parley.s2s.tls;

import im.parley.core.tls.CertificateDomainMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether a peer server's certificate chain proves its domain: PKIX path validation to a
 * trust anchor (RFC 5280 §6, as RFC 6120 §13.7.2.1 requires) and an identity check for the domain
 * (RFC 6125 §6, {@link CertificateIdentity}). The TLS layer itself accepts any certificate, so
 * that a peer with a self-signed one can still connect and prove its domain by dialback when the
 * policy allows it (XEP-0220 §1.3); the result of this check decides what the stream may do.
 */
public final class PeerCertificateVerifier {

    /** The outcome of checking a chain for a domain. */
    public enum Result {
        /** PKIX-valid and naming the domain: SASL EXTERNAL may authenticate it. */
        VALID,
        /** No certificate was presented. */
        NONE,
        /** The chain does not lead to a trust anchor (self-signed, expired, wrong signature). */
        UNTRUSTED,
        /** The chain is valid but names other domains. */
        NAME_MISMATCH;

        public boolean isValid() {
            return this == VALID;
        }
    }

    private final Set<TrustAnchor> anchors;

    public PeerCertificateVerifier(Collection<X509Certificate> trustAnchors) {
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate anchor : trustAnchors) {
            set.add(new TrustAnchor(anchor, null));
        }
        this.anchors = Set.copyOf(set);
    }

    /** The JDK's default anchors (its cacerts) plus the certificates in {@code extraCaPem} if given. */
    public static PeerCertificateVerifier withSystemAnchors(Path extraCaPem) throws IOException {
        List<X509Certificate> all = new ArrayList<>(systemAnchors());
        if (extraCaPem != null) {
            all.addAll(readPem(extraCaPem));
        }
        return new PeerCertificateVerifier(all);
    }

    /** Checks {@code chain} (leaf first) for {@code domain}. */
    public Result verify(X509Certificate[] chain, String domain) {
        if (chain == null || chain.length == 0) {
            return Result.NONE;
        }
        if (anchors.isEmpty()) {
            return Result.UNTRUSTED;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
            // A peer may send its root too; the path to validate ends below the anchor.
            while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
                path.remove(path.size() - 1);
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            // Revocation needs network fetches (CRL, OCSP) the server must not block on.
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
        } catch (GeneralSecurityException e) {
            return Result.UNTRUSTED;
        }
        return names(chain[0], domain) ? Result.VALID : Result.NAME_MISMATCH;
    }

    /** RFC 6125 matching, shared with the checks of Parley's own certificates; an unreadable subjectAltName names nothing. */
    private static boolean names(X509Certificate leaf, String domain) {
        try {
            return CertificateDomainMatcher.covers(leaf, domain);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private boolean isAnchor(X509Certificate certificate) {
        for (TrustAnchor anchor : anchors) {
            if (certificate.equals(anchor.getTrustedCert())) {
                return true;
            }
        }
        return false;
    }

    private static List<X509Certificate> systemAnchors() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return Arrays.asList(x509.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the JDK's trusted certificates", e);
        }
    }

    /** Reads every certificate of a PEM file (a CA bundle). */
    public static List<X509Certificate> readPem(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }
}
