package im.parley.sdk;

/**
 * The server's TLS certificate is not trusted by the configured {@link Trust}, or does not name
 * the server's domain (RFC 6120 §13.7.2). The connection was closed before any password was
 * sent.
 */
public final class UntrustedCertificateException extends ChatException {
    private static final long serialVersionUID = 1L;

    public UntrustedCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
