package im.parley.server.config;

/**
 * An option a module declares next to the code that reads it (STYLE.md #9): key, type with
 * bounds, default and a one-line description. The module lists it in
 * {@code XmppModule.options()}; {@link ConfigLoader} reads it from the YAML file into
 * {@link ParleyConfig#option} and docs/configuration.md documents it. The module reads its value
 * with {@code ModuleContext.option}. Options are compared by identity: declare each once, as a
 * constant.
 *
 * @param section the section the option belongs to
 * @param key dotted key path, e.g. {@code client_state.max_buffered}
 * @param example a YAML value shown (commented out) in the generated example, or {@code null}
 */
public record ModuleOption<T>(OptionSection section, String key, ValueType<T> type, T defaultValue, String doc,
                              String example) {

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return key;
    }

    /** The declaration the loader and the documentation work with. */
    ConfigOption<T> asConfigOption() {
        return new ConfigOption<>(key, type, doc, example, config -> config.option(this),
                (config, value) -> config.with(this, value));
    }
}
