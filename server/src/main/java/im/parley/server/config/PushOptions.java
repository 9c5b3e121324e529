package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The options of external components (XEP-0114) and push notifications (XEP-0357), declared next
 * to each other (STYLE.md #9); see docs/mobile-push.md.
 */
final class PushOptions {

    private PushOptions() {
    }

    static void sections(Map<String, String> sections) {
        sections.put("component", "Listener for external components (XEP-0114), usually port 5347; loopback unless "
                + "components run elsewhere.");
        sections.put("push", "Push notifications (XEP-0357): clients register app servers, which Parley notifies "
                + "about messages for sleeping devices (see docs/mobile-push.md).");
        sections.put("push.app_server", "The push app server Parley can run itself, as a component on its own "
                + "listener (`component.enabled` and a secret for its domain in `components` are required).");
        sections.put("push.app_server.fcm", "Firebase Cloud Messaging (HTTP v1) for the app server; on when "
                + "`project_id` is set.");
        sections.put("push.app_server.apns", "Apple Push Notification service (HTTP/2, token authentication) for the "
                + "app server; on when `signing_key` is set.");
    }

    static void declare(List<ConfigOption<?>> all, ListenerDeclaration listener) {
        listener.declare(all, "component", c -> c.components().listener(),
                (c, l) -> c.withComponents(c.components().withListener(l)));
        all.add(new ConfigOption<>("components", COMPONENT_SECRETS,
                "External components allowed to connect, with the shared secret of their handshake (XEP-0114 §3).",
                "{\"push.example.org\": {secret: \"a long random string\"}}",
                c -> c.components().secrets(), (c, v) -> c.withComponents(c.components().withSecrets(v))));
        all.add(push("push.enabled", ValueType.BOOLEAN, "Whether clients may enable push notifications (XEP-0357 §5).",
                PushConfig::enabled, PushConfig::withEnabled));
        all.add(push("push.max_registrations", ValueType.POSITIVE,
                "App server registrations per account; enabling one more removes the oldest.",
                PushConfig::maxRegistrations, PushConfig::withMaxRegistrations));
        all.add(push("push.include_sender", ValueType.BOOLEAN,
                "Notifications name the sender of the last message (`last-message-sender`).",
                PushConfig::includeSender, PushConfig::withIncludeSender));
        all.add(push("push.include_body", ValueType.BOOLEAN,
                "Notifications carry the last message body for every account; when false only for registrations "
                        + "whose publish-options set `include-body` (privacy: app servers, Google and Apple see it).",
                PushConfig::includeBody, PushConfig::withIncludeBody));
        all.add(push("push.max_errors", ValueType.POSITIVE,
                "Consecutive failed notifications after which a registration is removed (unknown nodes and refused "
                        + "secrets remove it at once).",
                PushConfig::maxErrors, PushConfig::withMaxErrors));
        all.add(push("push.min_interval", ValueType.DURATION,
                "While a notification is unanswered, no other goes to the same app server registration for this long.",
                PushConfig::minInterval, PushConfig::withMinInterval));
        appServer(all);
    }

    private static void appServer(List<ConfigOption<?>> all) {
        all.add(app("push.app_server.enabled", ValueType.BOOLEAN, "Whether Parley runs the push app server.",
                PushAppServerConfig::enabled, PushAppServerConfig::withEnabled));
        all.add(app("push.app_server.domain", ValueType.STRING,
                "The app server's component domain: clients register with it and enable it as their push service.",
                PushAppServerConfig::domain, PushAppServerConfig::withDomain));
        all.add(app("push.app_server.registrations_file", FederationValueTypes.OPTIONAL_PATH,
                "JSON file of registered devices; null: `<data_dir>/push-registrations.json`.",
                PushAppServerConfig::registrationsFile, PushAppServerConfig::withRegistrationsFile));
        all.add(app("push.app_server.fcm.project_id", ValueType.OPTIONAL_STRING, "The Firebase project id; null: no FCM.",
                PushAppServerConfig::fcmProjectId,
                (a, v) -> a.withFcm(v, a.fcmServiceAccount(), a.fcmEndpoint(), a.fcmTokenEndpoint())));
        all.add(app("push.app_server.fcm.service_account", FederationValueTypes.OPTIONAL_PATH,
                "The service account key (JSON) from the Firebase console.",
                PushAppServerConfig::fcmServiceAccount,
                (a, v) -> a.withFcm(a.fcmProjectId(), v, a.fcmEndpoint(), a.fcmTokenEndpoint())));
        all.add(app("push.app_server.fcm.endpoint", ValueType.STRING, "Base URL of the FCM HTTP v1 API.",
                PushAppServerConfig::fcmEndpoint,
                (a, v) -> a.withFcm(a.fcmProjectId(), a.fcmServiceAccount(), v, a.fcmTokenEndpoint())));
        all.add(app("push.app_server.fcm.token_endpoint", ValueType.OPTIONAL_STRING,
                "OAuth2 token endpoint; null: the `token_uri` of the service account file.",
                PushAppServerConfig::fcmTokenEndpoint,
                (a, v) -> a.withFcm(a.fcmProjectId(), a.fcmServiceAccount(), a.fcmEndpoint(), v)));
        all.add(app("push.app_server.apns.signing_key", FederationValueTypes.OPTIONAL_PATH,
                "The APNs signing key (`.p8`) from Apple's developer account; null: no APNs.",
                PushAppServerConfig::apnsSigningKey, (a, v) -> apns(a, v, a.apnsTeamId(), a.apnsKeyId(), a.apnsTopic(),
                        a.apnsHost(), a.apnsPort(), a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.team_id", ValueType.OPTIONAL_STRING, "The Apple developer team id.",
                PushAppServerConfig::apnsTeamId, (a, v) -> apns(a, a.apnsSigningKey(), v, a.apnsKeyId(), a.apnsTopic(),
                        a.apnsHost(), a.apnsPort(), a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.key_id", ValueType.OPTIONAL_STRING, "The signing key's id.",
                PushAppServerConfig::apnsKeyId, (a, v) -> apns(a, a.apnsSigningKey(), a.apnsTeamId(), v, a.apnsTopic(),
                        a.apnsHost(), a.apnsPort(), a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.topic", ValueType.OPTIONAL_STRING,
                "The app's bundle id, for registrations that name none.",
                PushAppServerConfig::apnsTopic, (a, v) -> apns(a, a.apnsSigningKey(), a.apnsTeamId(), a.apnsKeyId(), v,
                        a.apnsHost(), a.apnsPort(), a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.host", ValueType.STRING,
                "`api.push.apple.com`, or `api.sandbox.push.apple.com` for development builds.",
                PushAppServerConfig::apnsHost, (a, v) -> apns(a, a.apnsSigningKey(), a.apnsTeamId(), a.apnsKeyId(),
                        a.apnsTopic(), v, a.apnsPort(), a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.port", ValueType.PORT, "443, or 2197.",
                PushAppServerConfig::apnsPort, (a, v) -> apns(a, a.apnsSigningKey(), a.apnsTeamId(), a.apnsKeyId(),
                        a.apnsTopic(), a.apnsHost(), v, a.apnsTrustedCertificates())));
        all.add(app("push.app_server.apns.trusted_certificates", FederationValueTypes.OPTIONAL_PATH,
                "PEM file of the CAs trusted for the APNs host; null: the JDK's.",
                PushAppServerConfig::apnsTrustedCertificates, (a, v) -> apns(a, a.apnsSigningKey(), a.apnsTeamId(),
                        a.apnsKeyId(), a.apnsTopic(), a.apnsHost(), a.apnsPort(), v)));
    }

    private static PushAppServerConfig apns(PushAppServerConfig a, Path key, String team, String keyId, String topic,
                                            String host, int port, Path trusted) {
        return a.withApns(key, team, keyId, topic, host, port, trusted);
    }

    /** How ParleyOptions declares a listener's three options. */
    @FunctionalInterface
    interface ListenerDeclaration {
        void declare(List<ConfigOption<?>> all, String section, Function<ParleyConfig, ListenerConfig> get,
                     BiFunction<ParleyConfig, ListenerConfig, ParleyConfig> set);
    }

    private static <T> ConfigOption<T> push(String key, ValueType<T> type, String doc, Function<PushConfig, T> get,
                                            BiFunction<PushConfig, T, PushConfig> set) {
        return new ConfigOption<>(key, type, doc, c -> get.apply(c.push()), (c, v) -> c.withPush(set.apply(c.push(), v)));
    }

    private static <T> ConfigOption<T> app(String key, ValueType<T> type, String doc,
                                           Function<PushAppServerConfig, T> get,
                                           BiFunction<PushAppServerConfig, T, PushAppServerConfig> set) {
        return new ConfigOption<>(key, type, doc, c -> get.apply(c.push().appServer()),
                (c, v) -> c.withPush(c.push().withAppServer(set.apply(c.push().appServer(), v))));
    }

    /** Component domain → {secret: string}. */
    static final ValueType<Map<String, String>> COMPONENT_SECRETS = new ValueType<>() {
        @Override
        public String description() {
            return "map: domain → {secret: string}";
        }

        @Override
        public Map<String, String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw source.error(key, "expected a mapping of component domain to {secret: ...}, got "
                        + ValueType.describe(node));
            }
            Map<String, String> secrets = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String entryKey = ConfigSource.child(key, entry.getKey());
                String domain;
                try {
                    domain = Jids.parseDomain(entry.getKey()).toString();
                } catch (JidMalformedException e) {
                    throw source.error(entryKey, "not a valid domain (RFC 7622 §3.2): " + e.getMessage());
                }
                JsonNode value = entry.getValue();
                if (!value.isObject() || value.size() != 1 || !value.has("secret")) {
                    throw source.error(entryKey, "expected {secret: string}, got " + ValueType.describe(value));
                }
                String secret = ValueType.STRING.read(value.get("secret"), ConfigSource.child(entryKey, "secret"), source);
                if (secret.isEmpty()) {
                    throw source.error(ConfigSource.child(entryKey, "secret"), "must not be empty");
                }
                secrets.put(domain, secret);
            }
            return Map.copyOf(secrets);
        }

        @Override
        public String toYaml(Map<String, String> value) {
            List<String> entries = new ArrayList<>();
            value.forEach((domain, secret) -> entries.add(ValueType.STRING.toYaml(domain) + ": {secret: "
                    + ValueType.STRING.toYaml(secret) + "}"));
            return "{" + String.join(", ", entries) + "}";
        }
    };
}
