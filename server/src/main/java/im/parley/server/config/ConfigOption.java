package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One configuration option: its YAML key path, type (with bounds), a one-line description, how
 * to read its value from a {@link ParleyConfig} (which gives the default, from
 * {@link ParleyConfig#defaults()}) and how to set it. The reference in
 * {@code docs/configuration.md} is generated from these declarations.
 *
 * @param key dotted key path, e.g. {@code c2s.port}
 * @param example a YAML value shown (commented out) in the generated example file when the
 *     default alone does not show the shape of the value, or {@code null}
 */
record ConfigOption<T>(String key, ValueType<T> type, String doc, String example,
                       Function<ParleyConfig, T> getter, BiFunction<ParleyConfig, T, ParleyConfig> setter) {

    ConfigOption(String key, ValueType<T> type, String doc,
                 Function<ParleyConfig, T> getter, BiFunction<ParleyConfig, T, ParleyConfig> setter) {
        this(key, type, doc, null, getter, setter);
    }

    /** The default, as found in {@link ParleyConfig#defaults()}. */
    T defaultValue() {
        return getter.apply(ParleyConfig.defaults());
    }

    String defaultYaml() {
        return type.toYaml(defaultValue());
    }

    /** The section the key belongs to ({@code c2s}), or the empty string for a top-level key. */
    String section() {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** The last segment of the key, e.g. {@code port}. */
    String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    ParleyConfig apply(ParleyConfig config, JsonNode node, ConfigSource source) throws ConfigException {
        return setter.apply(config, type.read(node, key, source));
    }
}
