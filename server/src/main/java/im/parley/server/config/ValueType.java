package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a configuration value: how to read it from YAML, how to write it back (for the
 * generated example) and how to name it in the documentation. Modules declare their options
 * ({@link ModuleOption}) with these types.
 */
public interface ValueType<T> {

    /** The type as the documentation names it, with its bounds, e.g. {@code integer 0..65535}. */
    String description();

    /** Reads and checks the value at {@code key}. */
    T read(JsonNode node, String key, ConfigSource source) throws ConfigException;

    /** The value as YAML (flow style, on one line). */
    String toYaml(T value);

    ValueType<Boolean> BOOLEAN = new ValueType<>() {
        @Override
        public String description() {
            return "boolean";
        }

        @Override
        public Boolean read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isBoolean()) {
                throw source.error(key, "expected true or false, got " + describe(node));
            }
            return node.booleanValue();
        }

        @Override
        public String toYaml(Boolean value) {
            return value.toString();
        }
    };

    ValueType<String> STRING = new Text(false);
    ValueType<String> OPTIONAL_STRING = new Text(true);

    /** A path of its own on the HTTP listeners, such as {@code /metrics}: segments, no trailing slash, no query. */
    ValueType<String> HTTP_PATH = new ValueType<>() {
        private final Pattern path = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

        @Override
        public String description() {
            return "HTTP path (`/metrics`)";
        }

        @Override
        public String read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            String text = STRING.read(node, key, source);
            if (!path.matcher(text).matches()) {
                throw source.error(key, "expected a path such as /metrics (letters, digits and . _ ~ - between "
                        + "slashes, no trailing slash), got \"" + text + "\"");
            }
            return text;
        }

        @Override
        public String toYaml(String value) {
            return STRING.toYaml(value);
        }
    };

    ValueType<Path> PATH = new ValueType<>() {
        @Override
        public String description() {
            return "path";
        }

        @Override
        public Path read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            return Path.of(STRING.read(node, key, source));
        }

        @Override
        public String toYaml(Path value) {
            return STRING.toYaml(value.toString());
        }
    };

    /** A path, or null. */
    ValueType<Path> OPTIONAL_PATH = FederationValueTypes.OPTIONAL_PATH;

    /** Web origins ({@code https://chat.example.org}) or {@code *}, for CORS. */
    ValueType<List<String>> ORIGINS = HttpOptions.ORIGINS;

    ValueType<Integer> PORT = integer(0, 65535);
    ValueType<Integer> POSITIVE = integer(1, Integer.MAX_VALUE);

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            @Override
            public String description() {
                return max == Integer.MAX_VALUE ? "integer ≥ " + min : "integer " + min + ".." + max;
            }

            @Override
            public Integer read(JsonNode node, String key, ConfigSource source) throws ConfigException {
                if (!node.isIntegralNumber()) {
                    throw source.error(key, "expected an integer, got " + describe(node));
                }
                if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                    String range = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
                    throw source.error(key, "must be " + range + ", got " + node.asText());
                }
                return node.intValue();
            }

            @Override
            public String toYaml(Integer value) {
                return value.toString();
            }
        };
    }

    /** One of {@code type}'s constants, written in lower case. */
    static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        return new EnumValueType<>(type);
    }

    /** A positive duration: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 2w}, {@code 1y} (365 days) or ISO-8601 ({@code PT1M}). */
    ValueType<Duration> DURATION = new ValueType<>() {
        private final Pattern withUnit = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w|y)");

        @Override
        public String description() {
            return "duration > 0 (`500ms`, `60s`, `5m`, `2h`, `1d`, `2w`, `1y` = 365d or ISO-8601 `PT1M`)";
        }

        @Override
        public Duration read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isTextual()) {
                throw source.error(key, "expected a duration such as 60s, 5m or PT1M, got " + describe(node));
            }
            Duration duration = parse(node.textValue().trim());
            if (duration == null) {
                throw source.error(key, "expected a duration such as 60s, 5m or PT1M, got \"" + node.textValue() + "\"");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw source.error(key, "must be longer than zero, got \"" + node.textValue() + "\"");
            }
            return duration;
        }

        private Duration parse(String text) {
            Matcher m = withUnit.matcher(text);
            try {
                if (m.matches()) {
                    long amount = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        case "w" -> Duration.ofDays(Math.multiplyExact(amount, 7));
                        // A year of 365 days: retention periods, not calendar arithmetic.
                        case "y" -> Duration.ofDays(Math.multiplyExact(amount, 365));
                        default -> Duration.ofDays(amount);
                    };
                }
                return Duration.parse(text);
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }

        @Override
        public String toYaml(Duration value) {
            long millis = value.toMillis();
            if (millis % 86_400_000 == 0) {
                return millis / 86_400_000 + "d";
            } else if (millis % 3_600_000 == 0) {
                return millis / 3_600_000 + "h";
            } else if (millis % 60_000 == 0) {
                return millis / 60_000 + "m";
            } else if (millis % 1000 == 0) {
                return millis / 1000 + "s";
            }
            return millis + "ms";
        }
    };

    /** A non-empty list of domains, each valid per RFC 7622 §3.2, kept in prepared form. */
    ValueType<List<String>> DOMAINS = DomainValueTypes.DOMAINS;
    /** A list of domains, possibly empty, each valid per RFC 7622 §3.2, kept in prepared form. */
    ValueType<List<String>> DOMAIN_LIST = DomainValueTypes.DOMAIN_LIST;
    /** Domains this server hosts ({@link ConfigLoader} checks them once the whole file is read). */
    ValueType<List<String>> HOSTED_DOMAIN_LIST = DomainValueTypes.HOSTED_DOMAIN_LIST;
    /** Names of modules ({@code XmppModule.name()}); {@link ConfigLoader} checks that each is known. */
    ValueType<List<String>> MODULE_NAMES = DomainValueTypes.MODULE_NAMES;
    /** Per hosted domain, names of modules; {@link ConfigLoader} checks domains and names. */
    ValueType<Map<String, List<String>>> MODULE_NAMES_BY_DOMAIN = DomainValueTypes.MODULE_NAMES_BY_DOMAIN;

    /** A list of absolute URIs (RFC 3986 §4.3), e.g. {@code xmpp:admin@example.org}, {@code mailto:abuse@example.org}. */
    ValueType<List<String>> URIS = new ValueType<>() {
        @Override
        public String description() {
            return "list of URIs (`xmpp:`, `mailto:`, `https:`, ...)";
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isArray()) {
                throw source.error(key, "expected a list of URIs, got " + describe(node));
            }
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String itemKey = key + "[" + i + "]";
                String text = STRING.read(node.get(i), itemKey, source);
                try {
                    if (!new java.net.URI(text).isAbsolute()) {
                        throw source.error(itemKey, "expected an absolute URI such as xmpp:admin@example.org or "
                                + "mailto:abuse@example.org, got \"" + text + "\"");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw source.error(itemKey, "not a valid URI: " + e.getMessage());
                }
                uris.add(text);
            }
            return List.copyOf(uris);
        }

        @Override
        public String toYaml(List<String> value) {
            return DomainValueTypes.quotedList(value);
        }
    };

    /** Domain → PEM certificate chain and private key. */
    ValueType<Map<String, CertificateFiles>> CERTIFICATES = new ValueType<>() {
        @Override
        public String description() {
            return "map: domain → {certificate: path, private_key: path}";
        }

        @Override
        public Map<String, CertificateFiles> read(JsonNode node, String key, ConfigSource source)
                throws ConfigException {
            if (!node.isObject()) {
                throw source.error(key, "expected a mapping of domain to certificate files, got " + describe(node));
            }
            Map<String, CertificateFiles> certificates = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String entryKey = ConfigSource.child(key, entry.getKey());
                String domain = DomainValueTypes.domain(entry.getKey(), entryKey, source);
                JsonNode files = entry.getValue();
                if (!files.isObject()) {
                    throw source.error(entryKey, "expected {certificate: path, private_key: path}, got " + describe(files));
                }
                for (Iterator<String> names = files.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!name.equals("certificate") && !name.equals("private_key")) {
                        throw source.error(ConfigSource.child(entryKey, name),
                                "unknown key (known keys here: certificate, private_key)");
                    }
                }
                certificates.put(domain, new CertificateFiles(file(files, entryKey, "certificate", source),
                        file(files, entryKey, "private_key", source)));
            }
            return Map.copyOf(certificates);
        }

        private Path file(JsonNode files, String key, String name, ConfigSource source) throws ConfigException {
            String fileKey = ConfigSource.child(key, name);
            if (!files.has(name)) {
                throw source.error(fileKey, "is required");
            }
            return PATH.read(files.get(name), fileKey, source);
        }

        @Override
        public String toYaml(Map<String, CertificateFiles> value) {
            List<String> entries = new ArrayList<>();
            value.forEach((domain, files) -> entries.add(STRING.toYaml(domain) + ": {certificate: "
                    + PATH.toYaml(files.certificate()) + ", private_key: " + PATH.toYaml(files.privateKey()) + "}"));
            return "{" + String.join(", ", entries) + "}";
        }
    };

    /** The node as an error message shows it. */
    static String describe(JsonNode node) {
        if (node.isNull() || node.isMissingNode() || (node.isTextual() && node.textValue().isEmpty())) {
            return "nothing";
        } else if (node.isTextual()) {
            return "the string \"" + node.textValue() + "\"";
        } else if (node.isNumber()) {
            return "the number " + node.asText();
        } else if (node.isBoolean()) {
            return node.asText();
        } else if (node.isArray()) {
            return "a list";
        }
        return "a mapping";
    }

    /** Strings, always double-quoted in YAML so that {@code 127.0.0.1} or {@code yes} stay strings. */
    final class Text implements ValueType<String> {
        private final boolean optional;

        Text(boolean optional) {
            this.optional = optional;
        }

        @Override
        public String description() {
            return optional ? "string or null" : "string";
        }

        @Override
        public String read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (optional && node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                String hint = node.isValueNode() && !node.isNull() ? " (quote it to make it a string)" : "";
                throw source.error(key, "expected a string, got " + describe(node) + hint);
            }
            if (node.textValue().isEmpty()) {
                throw source.error(key, "must not be empty");
            }
            return node.textValue();
        }

        @Override
        public String toYaml(String value) {
            if (value == null) {
                return "null";
            }
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
