package im.parley.conformance;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for test clients: exactly one certificate, the self-signed one the server under
 * test generated, is a trust anchor. Nothing else (no system CAs, no "trust all") so a test
 * fails if the server presents anything else.
 */
public final class PinnedTrust {

    private PinnedTrust() {
    }

    /** A JDK-provider context trusting only {@code certificate}. */
    public static SSLContext sslContext(X509Certificate certificate) {
        return sslContext(certificate, "TLS");
    }

    /** A JDK-provider context trusting only {@code certificate}, limited to {@code protocol} (e.g. {@code TLSv1.3}). */
    public static SSLContext sslContext(X509Certificate certificate, String protocol) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(certificate));
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context for the test certificate", e);
        }
    }

    /**
     * The trust manager of {@link #sslContext}: Smack 4.4 initialises the SSL context it is given
     * with its own trust manager, so it must get this one instead of a context.
     */
    public static X509TrustManager trustManager(X509Certificate certificate) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(certificate));
            return (X509TrustManager) trust.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the test certificate", e);
        }
    }

    /** Writes the certificate as PEM (RFC 7468 §5), for clients that read a CA file. */
    public static Path writePem(X509Certificate certificate, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write("-----BEGIN CERTIFICATE-----\n");
            out.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded()));
            out.write("\n-----END CERTIFICATE-----\n");
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        return file;
    }

    private static KeyStore trustStore(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("parley-under-test", certificate);
        return trustStore;
    }
}
