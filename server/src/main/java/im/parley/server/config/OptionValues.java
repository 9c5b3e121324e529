package im.parley.server.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values of module options set in the configuration file; an option not set has its
 * declared default. Immutable. A value equal to the default is not kept, so a file that sets
 * every option to its default equals the defaults.
 */
public final class OptionValues {

    private static final OptionValues NONE = new OptionValues(Map.of());

    private final Map<ModuleOption<?>, Object> values;

    private OptionValues(Map<ModuleOption<?>, Object> values) {
        this.values = values;
    }

    public static OptionValues none() {
        return NONE;
    }

    /** The value of {@code option}: as set, else its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(ModuleOption<T> option) {
        return values.containsKey(option) ? (T) values.get(option) : option.defaultValue();
    }

    /** These values with {@code option} set to {@code value}. */
    public <T> OptionValues with(ModuleOption<T> option, T value) {
        Map<ModuleOption<?>, Object> copy = new HashMap<>(values);
        if (Objects.equals(value, option.defaultValue())) {
            copy.remove(option);
        } else {
            copy.put(option, value);
        }
        return new OptionValues(Collections.unmodifiableMap(copy)); // null is a value (an optional path)
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OptionValues that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
