package im.parley.server.modules.extdisco;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigSource;
import im.parley.server.config.ValueType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One service announced through External Service Discovery (XEP-0215 §2): where it is and what
 * it is. A {@code restricted} service needs credentials, which Parley makes with the shared
 * secret the TURN server checks ({@link TurnCredentials}).
 *
 * @param host a domain name or IP address (REQUIRED)
 * @param port its port (RECOMMENDED, always given here)
 * @param type {@code stun}, {@code stuns}, {@code turn} or {@code turns} (the registry of §8.3)
 * @param transport {@code udp} or {@code tcp}, or null
 * @param restricted whether clients get time-limited credentials for it
 * @param name a human-readable label, or null
 */
public record ExternalService(String host, int port, String type, String transport, boolean restricted, String name) {

    static final Set<String> TYPES = Set.of("stun", "stuns", "turn", "turns");
    static final Set<String> TRANSPORTS = Set.of("udp", "tcp");
    private static final Set<String> KEYS = Set.of("host", "port", "type", "transport", "restricted", "name");

    /** Whether a request for {@code host}, {@code type} and maybe {@code port} names this service (§3.3). */
    boolean matches(String requestedHost, String requestedType, String requestedPort) {
        return host.equalsIgnoreCase(requestedHost) && type.equals(requestedType)
                && (requestedPort == null || requestedPort.equals(Integer.toString(port)));
    }

    /** The {@code services} option: a list of {host, port, type, transport, restricted, name}. */
    static final ValueType<List<ExternalService>> LIST = new ValueType<>() {
        @Override
        public String description() {
            return "list of {host, port (1..65535), type (stun, stuns, turn or turns), transport (udp or tcp; "
                    + "optional), restricted (boolean, default false), name (optional)}";
        }

        @Override
        public List<ExternalService> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isArray()) {
                throw source.error(key, "expected a list of services, got " + ValueType.describe(node));
            }
            List<ExternalService> services = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                services.add(service(node.get(i), key + "[" + i + "]", source));
            }
            return List.copyOf(services);
        }

        private ExternalService service(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isObject()) {
                throw source.error(key, "expected {host: ..., port: ..., type: ...}, got " + ValueType.describe(node));
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!KEYS.contains(name)) {
                    throw source.error(ConfigSource.child(key, name), "unknown key (known keys here: " + String.join(
                            ", ", List.of("host", "port", "type", "transport", "restricted", "name")) + ")");
                }
            }
            String host = ValueType.STRING.read(required(node, key, "host", source), ConfigSource.child(key, "host"),
                    source);
            int port = ValueType.integer(1, 65535).read(required(node, key, "port", source),
                    ConfigSource.child(key, "port"), source);
            String type = oneOf(required(node, key, "type", source), ConfigSource.child(key, "type"), TYPES, source);
            String transport = node.has("transport")
                    ? oneOf(node.get("transport"), ConfigSource.child(key, "transport"), TRANSPORTS, source) : null;
            boolean restricted = node.has("restricted")
                    && ValueType.BOOLEAN.read(node.get("restricted"), ConfigSource.child(key, "restricted"), source);
            if (restricted && !type.startsWith("turn")) {
                throw source.error(ConfigSource.child(key, "restricted"), "only TURN services get credentials");
            }
            String name = node.has("name") ? ValueType.STRING.read(node.get("name"), ConfigSource.child(key, "name"),
                    source) : null;
            return new ExternalService(host, port, type, transport, restricted, name);
        }

        private JsonNode required(JsonNode node, String key, String name, ConfigSource source) throws ConfigException {
            if (!node.has(name)) {
                throw source.error(ConfigSource.child(key, name), "is required");
            }
            return node.get(name);
        }

        private String oneOf(JsonNode node, String key, Set<String> values, ConfigSource source)
                throws ConfigException {
            String value = ValueType.STRING.read(node, key, source);
            if (!values.contains(value)) {
                throw source.error(key, "expected one of " + String.join(", ", values.stream().sorted().toList())
                        + ", got " + value);
            }
            return value;
        }

        @Override
        public String toYaml(List<ExternalService> value) {
            List<String> entries = new ArrayList<>();
            for (ExternalService service : value) {
                StringBuilder entry = new StringBuilder("{host: ").append(ValueType.STRING.toYaml(service.host()))
                        .append(", port: ").append(service.port())
                        .append(", type: ").append(ValueType.STRING.toYaml(service.type()));
                if (service.transport() != null) {
                    entry.append(", transport: ").append(ValueType.STRING.toYaml(service.transport()));
                }
                if (service.restricted()) {
                    entry.append(", restricted: true");
                }
                if (service.name() != null) {
                    entry.append(", name: ").append(ValueType.STRING.toYaml(service.name()));
                }
                entries.add(entry.append("}").toString());
            }
            return "[" + String.join(", ", entries) + "]";
        }
    };
}
