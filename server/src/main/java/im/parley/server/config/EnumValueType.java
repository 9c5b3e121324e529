package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** A value that is one of an enum's constants, written in lower case ({@code auto}, {@code jdk}). */
final class EnumValueType<E extends Enum<E>> implements ValueType<E> {

    private final Class<E> type;

    EnumValueType(Class<E> type) {
        this.type = type;
    }

    @Override
    public String description() {
        StringBuilder names = new StringBuilder("one of");
        for (E constant : type.getEnumConstants()) {
            names.append(names.length() == 6 ? " " : ", ").append(toYaml(constant));
        }
        return names.toString();
    }

    @Override
    public E read(JsonNode node, String key, ConfigSource source) throws ConfigException {
        // YAML 1.1 reads a bare on or off as a boolean: an enum with those constants takes them.
        String text = node.isBoolean() ? (node.booleanValue() ? "on" : "off") : node.isTextual() ? node.textValue() : null;
        if (text != null) {
            for (E constant : type.getEnumConstants()) {
                if (toYaml(constant).equals(text)) {
                    return constant;
                }
            }
        }
        throw source.error(key, "expected " + description() + ", got " + ValueType.describe(node));
    }

    @Override
    public String toYaml(E value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
