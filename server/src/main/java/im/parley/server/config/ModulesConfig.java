package im.parley.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which modules run and their options.
 *
 * @param disabled names of discovered modules that run on no hosted domain ({@code modules.disabled})
 * @param disabledOn per hosted domain, names of further modules that do not run on it
 *     ({@code modules.disabled_on})
 * @param options the values of the modules' options
 */
public record ModulesConfig(List<String> disabled, Map<String, List<String>> disabledOn, OptionValues options) {

    public ModulesConfig {
        disabled = List.copyOf(disabled);
        disabledOn = Map.copyOf(disabledOn);
    }

    /** Every discovered module runs on every hosted domain, with its default options. */
    public static ModulesConfig defaults() {
        return new ModulesConfig(List.of(), Map.of(), OptionValues.none());
    }

    /** The modules that do not run on {@code domain}: those disabled everywhere and those disabled on it. */
    public List<String> disabledOn(String domain) {
        List<String> names = new ArrayList<>(disabled);
        for (String name : disabledOn.getOrDefault(domain, List.of())) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    public ModulesConfig withDisabled(List<String> v) {
        return new ModulesConfig(v, disabledOn, options);
    }

    public ModulesConfig withDisabledOn(Map<String, List<String>> v) {
        return new ModulesConfig(disabled, v, options);
    }

    public ModulesConfig withOptions(OptionValues v) {
        return new ModulesConfig(disabled, disabledOn, v);
    }
}
