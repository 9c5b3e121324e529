package im.parley.server.config;

import java.util.List;

/**
 * Which modules run and their options.
 *
 * @param disabled names of discovered modules that do not run ({@code modules.disabled})
 * @param options the values of the modules' options
 */
public record ModulesConfig(List<String> disabled, OptionValues options) {

    public ModulesConfig {
        disabled = List.copyOf(disabled);
    }

    /** Every discovered module runs, with its default options. */
    public static ModulesConfig defaults() {
        return new ModulesConfig(List.of(), OptionValues.none());
    }

    public ModulesConfig withDisabled(List<String> v) {
        return new ModulesConfig(v, options);
    }

    public ModulesConfig withOptions(OptionValues v) {
        return new ModulesConfig(disabled, v);
    }
}
