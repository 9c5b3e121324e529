package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A list of strings, each checked by a rule; a string that breaks it is an error naming its index. */
final class TextListType implements ValueType<List<String>> {

    private final String description;
    private final String items;
    private final Predicate<String> valid;
    private final String expected;

    /**
     * @param description the type as the documentation names it
     * @param items what the list holds, plural, for the error on a non-list ({@code origins})
     * @param valid whether one item is acceptable
     * @param expected what an item should have been, for the error on a bad one ({@code an IP address})
     */
    TextListType(String description, String items, Predicate<String> valid, String expected) {
        this.description = description;
        this.items = items;
        this.valid = valid;
        this.expected = expected;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
        if (!node.isArray()) {
            throw source.error(key, "expected a list of " + items + ", got " + ValueType.describe(node));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String itemKey = key + "[" + i + "]";
            String text = ValueType.STRING.read(node.get(i), itemKey, source);
            if (!valid.test(text)) {
                throw source.error(itemKey, "expected " + expected + ", got \"" + text + "\"");
            }
            values.add(text);
        }
        return List.copyOf(values);
    }

    @Override
    public String toYaml(List<String> value) {
        List<String> quoted = new ArrayList<>();
        value.forEach(item -> quoted.add(ValueType.STRING.toYaml(item)));
        return "[" + String.join(", ", quoted) + "]";
    }
}
