package im.parley.server.config;

import im.parley.core.tls.TlsProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * TLS settings. A host (hosted domain or service domain) presents the certificate configured for
 * it in {@code certificates}, else one of the configured or {@code certificatesDirectory}'s
 * certificates that names it; a hosted domain that none names gets a self-signed certificate
 * generated on first start and kept in the data directory, a service domain its domain's.
 *
 * @param starttlsRequired clients must negotiate STARTTLS before SASL (RFC 6120 §5.3.1)
 * @param certificates host → PEM files
 * @param provider the TLS implementation of client connections (c2s, direct TLS, HTTPS)
 * @param certificatesDirectory a directory of PEM files in Prosody's or certbot's layout, or null
 * @param watch read the certificates again when their files change
 */
public record TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates, TlsProvider provider,
                        Path certificatesDirectory, boolean watch) {

    public TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates, TlsProvider provider) {
        this(starttlsRequired, certificates, provider, null, true);
    }

    public TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates) {
        this(starttlsRequired, certificates, TlsProvider.AUTO);
    }

    public static TlsConfig defaults() {
        return new TlsConfig(true, Map.of(), TlsProvider.AUTO, null, true);
    }

    public TlsConfig withStarttlsRequired(boolean value) {
        return new TlsConfig(value, certificates, provider, certificatesDirectory, watch);
    }

    public TlsConfig withCertificates(Map<String, CertificateFiles> value) {
        return new TlsConfig(starttlsRequired, value, provider, certificatesDirectory, watch);
    }

    public TlsConfig withProvider(TlsProvider value) {
        return new TlsConfig(starttlsRequired, certificates, value, certificatesDirectory, watch);
    }

    public TlsConfig withWatch(boolean value) {
        return new TlsConfig(starttlsRequired, certificates, provider, certificatesDirectory, value);
    }

    public TlsConfig withCertificatesDirectory(Path value) {
        return new TlsConfig(starttlsRequired, certificates, provider, value, watch);
    }
}
