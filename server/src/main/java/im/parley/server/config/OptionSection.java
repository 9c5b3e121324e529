package im.parley.server.config;

/**
 * A section of the configuration file that a module declares (STYLE.md #9), e.g.
 * {@code client_state}: its key path and the one-line description the documentation gives it.
 * Its options are made with {@link #option}.
 *
 * @param key dotted key path of the section, e.g. {@code push.app_server}
 * @param doc one-line description for docs/configuration.md
 */
public record OptionSection(String key, String doc) {

    public OptionSection {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a module's options live in a section of their own");
        }
    }

    /** An option {@code <key>.<name>} of this section. */
    public <T> ModuleOption<T> option(String name, ValueType<T> type, T defaultValue, String doc) {
        return option(name, type, defaultValue, doc, null);
    }

    /**
     * An option with an {@code example}: a YAML value shown (commented out) in the generated
     * example file when the default alone does not show the shape of the value.
     */
    public <T> ModuleOption<T> option(String name, ValueType<T> type, T defaultValue, String doc, String example) {
        return new ModuleOption<>(this, key + "." + name, type, defaultValue, doc, example);
    }
}
