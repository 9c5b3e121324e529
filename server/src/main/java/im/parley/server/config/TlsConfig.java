package im.parley.server.config;

import im.parley.core.tls.TlsProvider;
import java.util.Map;

/**
 * TLS settings. Without an entry in {@code certificates} a domain gets a self-signed
 * certificate generated on first start and kept in the data directory.
 *
 * @param starttlsRequired clients must negotiate STARTTLS before SASL (RFC 6120 §5.3.1)
 * @param certificates domain → PEM files
 * @param provider the TLS implementation of client connections (c2s, direct TLS, HTTPS)
 */
public record TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates, TlsProvider provider) {

    public TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates) {
        this(starttlsRequired, certificates, TlsProvider.AUTO);
    }

    public static TlsConfig defaults() {
        return new TlsConfig(true, Map.of(), TlsProvider.AUTO);
    }

    public TlsConfig withStarttlsRequired(boolean value) {
        return new TlsConfig(value, certificates, provider);
    }

    public TlsConfig withCertificates(Map<String, CertificateFiles> value) {
        return new TlsConfig(starttlsRequired, value, provider);
    }

    public TlsConfig withProvider(TlsProvider value) {
        return new TlsConfig(starttlsRequired, certificates, value);
    }
}
