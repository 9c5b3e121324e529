package im.parley.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which server certificates a {@link ChatClient} accepts.
 *
 * <ul>
 *   <li>{@link #systemDefaults()}: certificates from the JVM's trusted authorities that name the
 *       server's domain (RFC 6120 §13.7.2, RFC 6125 §6). The right choice in production.</li>
 *   <li>{@link #authorities(KeyStore)}: the same with your own authorities.</li>
 *   <li>{@link #pinned(X509Certificate...)} / {@link #pinnedPem(Path)}: exactly these
 *       certificates and no others, e.g. a test server's self-signed one.</li>
 * </ul>
 */
public final class Trust {

    private final X509TrustManager authorities;
    private final List<X509Certificate> pins;

    private Trust(X509TrustManager authorities, List<X509Certificate> pins) {
        this.authorities = authorities;
        this.pins = pins;
    }

    /** The JVM's default trusted certificate authorities. */
    public static Trust systemDefaults() {
        return authorities(null);
    }

    /**
     * Certificates issued by the authorities in {@code trustStore}.
     *
     * @param trustStore the authorities; {@code null} means the JVM's defaults
     */
    public static Trust authorities(KeyStore trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new Trust(x509, List.of());
                }
            }
            throw new IllegalStateException("the JVM offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read trusted authorities: " + e.getMessage(), e);
        }
    }

    /**
     * Exactly these server certificates. A pinned certificate is trusted whatever names it
     * carries: pinning says "this very certificate is my server".
     */
    public static Trust pinned(X509Certificate... certificates) {
        if (certificates.length == 0) {
            throw new IllegalArgumentException("pin at least one certificate");
        }
        return new Trust(null, List.of(certificates));
    }

    /** The certificates of a PEM file ({@code -----BEGIN CERTIFICATE-----}), pinned. */
    public static Trust pinnedPem(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            return pinned(certificates.toArray(X509Certificate[]::new));
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate file: " + pemFile, e);
        }
    }

    /** The check a TLS handshake with {@code domain} runs; failures are reported to {@code failures}. */
    X509TrustManager managerFor(String domain, TrustFailures failures) {
        return new ServerCertificateCheck(domain, authorities, pins, failures);
    }
}
