package im.parley.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every option the configuration file may hold: the core's ({@link ParleyOptions}) and those
 * of the modules found on the class path, each module's sections right after the core's
 * {@code modules} section, in module order. {@link ConfigLoader} reads a file against it and
 * {@link ConfigurationDoc} documents it.
 */
public final class ConfigSchema {

    private static final String MODULES_SECTION = "modules";

    private final Map<String, String> sections;
    private final List<ConfigOption<?>> options;
    private final Map<String, ConfigOption<?>> byKey;
    private final Set<String> moduleNames;

    private ConfigSchema(Map<String, String> sections, List<ConfigOption<?>> options, Set<String> moduleNames) {
        this.sections = Collections.unmodifiableMap(sections);
        this.options = List.copyOf(options);
        this.moduleNames = Collections.unmodifiableSet(moduleNames);
        Map<String, ConfigOption<?>> keys = new LinkedHashMap<>();
        for (ConfigOption<?> option : options) {
            if (keys.put(option.key(), option) != null) {
                throw new IllegalStateException("option " + option.key() + " is declared twice");
            }
        }
        this.byKey = Collections.unmodifiableMap(keys);
    }

    /**
     * The core's options and those of {@code modules}: module name → the options it declares,
     * in module order.
     *
     * @throws IllegalStateException if two declarations share a key or a section
     */
    public static ConfigSchema of(Map<String, List<ModuleOption<?>>> modules) {
        Map<String, String> moduleSections = new LinkedHashMap<>();
        List<ConfigOption<?>> moduleOptions = new ArrayList<>();
        for (Map.Entry<String, List<ModuleOption<?>>> module : modules.entrySet()) {
            for (ModuleOption<?> option : module.getValue()) {
                OptionSection section = option.section();
                if (ParleyOptions.SECTIONS.containsKey(section.key())) {
                    throw new IllegalStateException("module " + module.getKey() + " declares options in the core's "
                            + "section " + section.key());
                }
                String doc = moduleSections.putIfAbsent(section.key(), section.doc());
                if (doc != null && !doc.equals(section.doc())) {
                    throw new IllegalStateException("section " + section.key() + " is declared twice");
                }
                moduleOptions.add(option.asConfigOption());
            }
        }
        Map<String, String> sections = new LinkedHashMap<>();
        for (Map.Entry<String, String> section : ParleyOptions.SECTIONS.entrySet()) {
            sections.put(section.getKey(), section.getValue());
            if (section.getKey().equals(MODULES_SECTION)) {
                sections.putAll(moduleSections);
            }
        }
        List<ConfigOption<?>> options = new ArrayList<>(ParleyOptions.ALL);
        int afterModules = 0;
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).section().equals(MODULES_SECTION)) {
                afterModules = i + 1;
            }
        }
        options.addAll(afterModules, moduleOptions);
        return new ConfigSchema(sections, options, new LinkedHashSet<>(modules.keySet()));
    }

    /** Sections and their one-line descriptions, in documentation order; {@code ""} is the top level. */
    Map<String, String> sections() {
        return sections;
    }

    /** Every option, in declaration order (the core's, the modules' after {@code modules.*}). */
    List<ConfigOption<?>> options() {
        return options;
    }

    /** The options of one section, in documentation order. */
    List<ConfigOption<?>> optionsIn(String section) {
        return options.stream().filter(option -> option.section().equals(section)).toList();
    }

    ConfigOption<?> option(String key) {
        return byKey.get(key);
    }

    /** The names of the modules whose options this schema holds. */
    public Set<String> moduleNames() {
        return moduleNames;
    }
}
