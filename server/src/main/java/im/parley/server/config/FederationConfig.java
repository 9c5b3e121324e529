package im.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Server-to-server federation settings (see docs/federation.md). The plain s2s listener is
 * {@link ParleyConfig#s2s()}; this adds the direct TLS listener and the policies.
 *
 * @param directTls the XEP-0368 direct TLS listener, usually port 5270
 * @param staticRoutes remote domain → {@code host:port} or {@code xmpps://host:port}, consulted before DNS
 * @param dialbackSecret the dialback secret (XEP-0185); null: generated once into {@code <data_dir>/dialback.secret}, or in a cluster into its database
 * @param requireEncryption TLS is required on every s2s stream, inbound and outbound
 * @param requireValidCertificates remote domains not in {@code policies} must present a valid certificate
 * @param policies remote domain → {@code require_certificate} or {@code allow_dialback}
 * @param idleTimeout outbound streams without traffic for this long close; inbound ones after twice as long
 * @param connectTimeout the time an outbound stream may take from DNS lookup to authentication
 * @param trustedCaFile extra trust anchors (PEM) besides the JDK's, e.g. a private CA; null for none
 */
public record FederationConfig(ListenerConfig directTls, Map<String, String> staticRoutes, String dialbackSecret,
                               boolean requireEncryption, boolean requireValidCertificates,
                               Map<String, String> policies, Duration idleTimeout, Duration connectTimeout,
                               Path trustedCaFile) {

    public static final String REQUIRE_CERTIFICATE = "require_certificate";
    public static final String ALLOW_DIALBACK = "allow_dialback";

    public FederationConfig {
        staticRoutes = Map.copyOf(staticRoutes);
        policies = Map.copyOf(policies);
    }

    public static FederationConfig defaults() {
        return new FederationConfig(ListenerConfig.off("127.0.0.1", 5270), Map.of(), null, true, false, Map.of(),
                Duration.ofMinutes(5), Duration.ofSeconds(15), null);
    }

    public FederationConfig withDirectTls(ListenerConfig listener) {
        return new FederationConfig(listener, staticRoutes, dialbackSecret, requireEncryption, requireValidCertificates,
                policies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withStaticRoutes(Map<String, String> routes) {
        return new FederationConfig(directTls, routes, dialbackSecret, requireEncryption, requireValidCertificates,
                policies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withDialbackSecret(String secret) {
        return new FederationConfig(directTls, staticRoutes, secret, requireEncryption, requireValidCertificates,
                policies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withRequireEncryption(boolean required) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, required, requireValidCertificates,
                policies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withRequireValidCertificates(boolean required) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, requireEncryption, required,
                policies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withPolicies(Map<String, String> newPolicies) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, requireEncryption, requireValidCertificates,
                newPolicies, idleTimeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withIdleTimeout(Duration timeout) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, requireEncryption, requireValidCertificates,
                policies, timeout, connectTimeout, trustedCaFile);
    }

    public FederationConfig withConnectTimeout(Duration timeout) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, requireEncryption, requireValidCertificates,
                policies, idleTimeout, timeout, trustedCaFile);
    }

    public FederationConfig withTrustedCaFile(Path file) {
        return new FederationConfig(directTls, staticRoutes, dialbackSecret, requireEncryption, requireValidCertificates,
                policies, idleTimeout, connectTimeout, file);
    }
}
