package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Value types of lists of domains (RFC 7622 §3.2, kept in prepared form) and of module names, and
 * the helpers that read a domain and write a list; kept apart from the generic {@link ValueType}s,
 * which name them ({@link ValueType#DOMAINS} and the others). Their initializers use nothing of
 * {@link ValueType}'s: the interface's constants are read from here.
 */
final class DomainValueTypes {

    private DomainValueTypes() {
    }

    /** A non-empty list of domains, each valid per RFC 7622 §3.2, kept in prepared form. */
    static final ValueType<List<String>> DOMAINS = new ValueType<>() {
        @Override
        public String description() {
            return "list of domains (at least one)";
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isArray()) {
                throw source.error(key, "expected a list of domains, got " + ValueType.describe(node));
            }
            if (node.isEmpty()) {
                throw source.error(key, "at least one domain is required");
            }
            List<String> domains = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String domain = domain(node.get(i), key + "[" + i + "]", source);
                if (domains.contains(domain)) {
                    throw source.error(key + "[" + i + "]", "domain " + domain + " is listed twice");
                }
                domains.add(domain);
            }
            return List.copyOf(domains);
        }

        @Override
        public String toYaml(List<String> value) {
            return quotedList(value);
        }
    };

    /** A list of domains, possibly empty, each valid per RFC 7622 §3.2, kept in prepared form. */
    static final ValueType<List<String>> DOMAIN_LIST = new ValueType<>() {
        @Override
        public String description() {
            return "list of domains";
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            return distinctList(node, key, source, "domains", DomainValueTypes::domain);
        }

        @Override
        public String toYaml(List<String> value) {
            return DOMAINS.toYaml(value);
        }
    };

    /**
     * A list of domains, possibly empty, each of which must be one of the hosted {@code domains}:
     * {@link ConfigLoader} checks that once the whole file is read.
     */
    static final ValueType<List<String>> HOSTED_DOMAIN_LIST = new ValueType<>() {
        @Override
        public String description() {
            return DOMAIN_LIST.description();
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            return DOMAIN_LIST.read(node, key, source);
        }

        @Override
        public String toYaml(List<String> value) {
            return DOMAIN_LIST.toYaml(value);
        }
    };

    /** Names of modules ({@code XmppModule.name()}); {@link ConfigLoader} checks that each is known. */
    static final ValueType<List<String>> MODULE_NAMES = new ValueType<>() {
        @Override
        public String description() {
            return "list of module names";
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            return distinctList(node, key, source, "module names", ValueType.STRING::read);
        }

        @Override
        public String toYaml(List<String> value) {
            return quotedList(value);
        }
    };

    /** Per hosted domain, names of modules; {@link ConfigLoader} checks domains and names. */
    static final ValueType<Map<String, List<String>>> MODULE_NAMES_BY_DOMAIN = new ValueType<>() {
        @Override
        public String description() {
            return "mapping of domain to list of module names";
        }

        @Override
        public Map<String, List<String>> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw source.error(key, "expected a mapping of domain to module names, got " + ValueType.describe(node));
            }
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String entryKey = ConfigSource.child(key, entry.getKey());
                String domain = domain(entry.getKey(), entryKey, source);
                map.put(domain, MODULE_NAMES.read(entry.getValue(), entryKey, source));
            }
            return Map.copyOf(map);
        }

        @Override
        public String toYaml(Map<String, List<String>> value) {
            List<String> entries = new ArrayList<>();
            value.forEach((domain, names) -> entries.add(ValueType.STRING.toYaml(domain) + ": " + quotedList(names)));
            return "{" + String.join(", ", entries) + "}";
        }
    };

    /** Reads one element of a list, at its own key ({@code key[i]}). */
    @FunctionalInterface
    interface ElementReader {
        String read(JsonNode node, String key, ConfigSource source) throws ConfigException;
    }

    /**
     * The list at {@code key}, each element read by {@code element}, a repeated one dropped (the
     * first kept); an error naming {@code what} the list holds if {@code node} is no list.
     */
    static List<String> distinctList(JsonNode node, String key, ConfigSource source, String what,
                                     ElementReader element) throws ConfigException {
        if (!node.isArray()) {
            throw source.error(key, "expected a list of " + what + ", got " + ValueType.describe(node));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String value = element.read(node.get(i), key + "[" + i + "]", source);
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    /** The domain in {@code node} (a string), in prepared form; a clear error at {@code key} if it is none. */
    static String domain(JsonNode node, String key, ConfigSource source) throws ConfigException {
        if (!node.isTextual()) {
            throw source.error(key, "expected a domain name, got " + ValueType.describe(node));
        }
        return domain(node.textValue(), key, source);
    }

    /** {@code text} as a domain (RFC 7622 §3.2), in prepared form; a clear error at {@code key} if it is none. */
    static String domain(String text, String key, ConfigSource source) throws ConfigException {
        try {
            return Jids.parseDomain(text).toString();
        } catch (JidMalformedException e) {
            throw source.error(key, "not a valid domain (RFC 7622 §3.2): " + e.getMessage());
        }
    }

    /** Strings as a YAML flow list, each double-quoted. */
    static String quotedList(List<String> value) {
        List<String> quoted = new ArrayList<>();
        value.forEach(item -> quoted.add(ValueType.STRING.toYaml(item)));
        return "[" + String.join(", ", quoted) + "]";
    }
}
