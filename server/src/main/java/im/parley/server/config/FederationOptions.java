package im.parley.server.config;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The options of the {@code federation} section, declared next to each other (STYLE.md #9). */
final class FederationOptions {

    private FederationOptions() {
    }

    static void declare(List<ConfigOption<?>> all) {
        all.add(option("federation.static_routes", FederationValueTypes.STATIC_ROUTES,
                "Where to connect for a remote domain, before any DNS lookup (private networks, tests).",
                "{\"example.net\": \"10.0.0.7:5269\", \"example.com\": \"xmpps://xmpp.example.com:5270\"}",
                FederationConfig::staticRoutes, FederationConfig::withStaticRoutes));
        all.add(option("federation.dialback_secret", ValueType.OPTIONAL_STRING,
                "Secret behind dialback keys (XEP-0185); null: generated once into `<data_dir>/dialback.secret`, "
                        + "or in a cluster into the database its nodes share. Set it alike on every node of a cluster "
                        + "to need no shared one.", null,
                FederationConfig::dialbackSecret, FederationConfig::withDialbackSecret));
        all.add(option("federation.require_encryption", ValueType.BOOLEAN,
                "Every s2s stream must use TLS (RFC 6120 §5.3.1): STARTTLS is required inbound and outbound.", null,
                FederationConfig::requireEncryption, FederationConfig::withRequireEncryption));
        all.add(option("federation.require_valid_certificates", ValueType.BOOLEAN,
                "Remote domains not in `policies` must present a certificate that validates (PKIX) and names them "
                        + "(RFC 6125); false also accepts Server Dialback (XEP-0220).", null,
                FederationConfig::requireValidCertificates, FederationConfig::withRequireValidCertificates));
        all.add(option("federation.policies", FederationValueTypes.POLICIES,
                "Per remote domain authentication policy, overriding `require_valid_certificates`.",
                "{\"example.net\": \"require_certificate\", \"legacy.example\": \"allow_dialback\"}",
                FederationConfig::policies, FederationConfig::withPolicies));
        all.add(option("federation.idle_timeout", ValueType.DURATION,
                "An outbound s2s stream without traffic for this long is closed and reopened on demand; an "
                        + "authenticated inbound one after twice as long, which peers authenticated by SASL EXTERNAL "
                        + "are told as XEP-0478 `<idle-seconds/>`.", null,
                FederationConfig::idleTimeout, FederationConfig::withIdleTimeout));
        all.add(option("federation.connect_timeout", ValueType.DURATION,
                "Time an outbound stream may take from DNS lookup to authentication; queued stanzas then bounce "
                        + "with `remote-server-timeout`.", null,
                FederationConfig::connectTimeout, FederationConfig::withConnectTimeout));
        all.add(option("federation.trusted_ca_file", FederationValueTypes.OPTIONAL_PATH,
                "PEM file of extra CA certificates trusted for peer certificates, besides the JDK's.", null,
                FederationConfig::trustedCaFile, FederationConfig::withTrustedCaFile));
    }

    private static <T> ConfigOption<T> option(String key, ValueType<T> type, String doc, String example,
                                              Function<FederationConfig, T> get,
                                              BiFunction<FederationConfig, T, FederationConfig> set) {
        return new ConfigOption<>(key, type, doc, example, c -> get.apply(c.federation()),
                (c, v) -> c.withFederation(set.apply(c.federation(), v)));
    }
}
