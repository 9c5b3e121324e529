package im.parley.sdk;

import java.security.cert.CertificateException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers why the last TLS handshake rejected the server's certificate. Smack reports a failed
 * handshake as a generic connection error from its reader thread; this lets the client say
 * "certificate not trusted" instead.
 */
final class TrustFailures {
    private final AtomicReference<CertificateException> last = new AtomicReference<>();

    void record(CertificateException failure) {
        last.set(failure);
    }

    CertificateException takeLast() {
        return last.getAndSet(null);
    }
}
