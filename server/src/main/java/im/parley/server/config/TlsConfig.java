package im.parley.server.config;

import java.util.Map;

/**
 * TLS settings. Without an entry in {@code certificates} a domain gets a self-signed
 * certificate generated on first start and kept in the data directory.
 *
 * @param starttlsRequired clients must negotiate STARTTLS before SASL (RFC 6120 §5.3.1)
 * @param certificates domain → PEM files
 */
public record TlsConfig(boolean starttlsRequired, Map<String, CertificateFiles> certificates) {

    public static TlsConfig defaults() {
        return new TlsConfig(true, Map.of());
    }
}
