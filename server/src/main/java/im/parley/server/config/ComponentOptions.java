package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The options of external components (XEP-0114): their listener and secrets. The push modules
 * (XEP-0357) declare theirs; see docs/mobile-push.md.
 */
final class ComponentOptions {

    private ComponentOptions() {
    }

    static void sections(Map<String, String> sections) {
        sections.put("component", "Listener for external components (XEP-0114), usually port 5347; loopback unless "
                + "components run elsewhere.");
    }

    static void declare(List<ConfigOption<?>> all, ListenerDeclaration listener) {
        listener.declare(all, "component", c -> c.components().listener(),
                (c, l) -> c.withComponents(c.components().withListener(l)));
        all.add(new ConfigOption<>("components", COMPONENT_SECRETS,
                "External components allowed to connect, with the shared secret of their handshake (XEP-0114 §3).",
                "{\"push.example.org\": {secret: \"a long random string\"}}",
                c -> c.components().secrets(), (c, v) -> c.withComponents(c.components().withSecrets(v))));
    }

    /** How ParleyOptions declares a listener's three options. */
    @FunctionalInterface
    interface ListenerDeclaration {
        void declare(List<ConfigOption<?>> all, String section, Function<ParleyConfig, ListenerConfig> get,
                     BiFunction<ParleyConfig, ListenerConfig, ParleyConfig> set);
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
