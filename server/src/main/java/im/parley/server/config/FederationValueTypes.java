package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.s2s.dns.S2sTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Value types of the {@code federation} options (kept apart from the generic {@link ValueType}s). */
final class FederationValueTypes {

    private FederationValueTypes() {
    }

    /** Remote domain → {@code host:port}, {@code [v6]:port} or {@code xmpps://host:port}. */
    static final ValueType<Map<String, String>> STATIC_ROUTES = new DomainMap(
            "map: domain → \"host:port\" or \"xmpps://host:port\" (direct TLS)") {
        @Override
        void check(String value, String key, ConfigSource source) throws ConfigException {
            try {
                S2sTarget.parse(value);
            } catch (IllegalArgumentException e) {
                throw source.error(key, "expected \"host:port\" or \"xmpps://host:port\": " + e.getMessage());
            }
        }
    };

    /** Remote domain → policy. */
    static final ValueType<Map<String, String>> POLICIES = new DomainMap(
            "map: domain → `" + FederationConfig.REQUIRE_CERTIFICATE + "` or `" + FederationConfig.ALLOW_DIALBACK + "`") {
        @Override
        void check(String value, String key, ConfigSource source) throws ConfigException {
            if (!Set.of(FederationConfig.REQUIRE_CERTIFICATE, FederationConfig.ALLOW_DIALBACK).contains(value)) {
                throw source.error(key, "expected " + FederationConfig.REQUIRE_CERTIFICATE + " or "
                        + FederationConfig.ALLOW_DIALBACK + ", got \"" + value + "\"");
            }
        }
    };

    /** A path, or null. */
    static final ValueType<Path> OPTIONAL_PATH = new ValueType<>() {
        @Override
        public String description() {
            return "path or null";
        }

        @Override
        public Path read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            String text = ValueType.OPTIONAL_STRING.read(node, key, source);
            return text == null ? null : Path.of(text);
        }

        @Override
        public String toYaml(Path value) {
            return ValueType.OPTIONAL_STRING.toYaml(value == null ? null : value.toString());
        }
    };

    /** A mapping from domain names to checked strings. */
    private abstract static class DomainMap implements ValueType<Map<String, String>> {
        private final String description;

        DomainMap(String description) {
            this.description = description;
        }

        abstract void check(String value, String key, ConfigSource source) throws ConfigException;

        @Override
        public String description() {
            return description;
        }

        @Override
        public Map<String, String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw source.error(key, "expected a mapping of domain to value, got " + ValueType.describe(node));
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String entryKey = ConfigSource.child(key, entry.getKey());
                String domain;
                try {
                    domain = Jids.parseDomain(entry.getKey()).toString();
                } catch (JidMalformedException e) {
                    throw source.error(entryKey, "not a valid domain (RFC 7622 §3.2): " + e.getMessage());
                }
                String value = ValueType.STRING.read(entry.getValue(), entryKey, source);
                check(value, entryKey, source);
                map.put(domain, value);
            }
            return Map.copyOf(map);
        }

        @Override
        public String toYaml(Map<String, String> value) {
            List<String> entries = new ArrayList<>();
            value.forEach((domain, v) -> entries.add(ValueType.STRING.toYaml(domain) + ": " + ValueType.STRING.toYaml(v)));
            return "{" + String.join(", ", entries) + "}";
        }
    }
}
