package im.parley.server.module;

import im.parley.server.config.ConfigSchema;
import im.parley.server.config.ModuleOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The modules found on a class path with {@link ServiceLoader} (files
 * {@code META-INF/services/im.parley.server.module.XmppModule}), in the order found: within one
 * file, the order of its lines. Each discovery makes new instances, so every server gets its own.
 */
public final class ModuleCatalog {

    private final List<XmppModule> modules;

    private ModuleCatalog(List<XmppModule> modules) {
        Map<String, XmppModule> byName = new LinkedHashMap<>();
        for (XmppModule module : modules) {
            XmppModule other = byName.putIfAbsent(module.name(), module);
            if (other != null) {
                throw new IllegalStateException("two modules are named " + module.name() + ": "
                        + other.getClass().getName() + " and " + module.getClass().getName());
            }
        }
        this.modules = List.copyOf(modules);
    }

    /** The modules on the class path of this class. */
    public static ModuleCatalog discover() {
        return discover(ModuleCatalog.class.getClassLoader());
    }

    /** The modules {@code loader} finds. */
    public static ModuleCatalog discover(ClassLoader loader) {
        List<XmppModule> found = new ArrayList<>();
        try {
            ServiceLoader.load(XmppModule.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a module on the class path cannot be loaded: " + e.getMessage(), e);
        }
        return new ModuleCatalog(found);
    }

    /** Exactly these modules (tests that load a few, or instances built by hand). */
    public static ModuleCatalog of(List<XmppModule> modules) {
        return new ModuleCatalog(modules);
    }

    /**
     * The same modules for a further hosted domain: a new instance of each host module (its public
     * no-argument constructor), the same instance of each {@link XmppModule#global() global} one
     * (which runs once).
     *
     * @throws IllegalStateException if a host module cannot be made again
     */
    public ModuleCatalog forAnotherHost() {
        List<XmppModule> copies = new ArrayList<>();
        for (XmppModule module : modules) {
            copies.add(module.global() ? module : newInstance(module));
        }
        return new ModuleCatalog(copies);
    }

    private static XmppModule newInstance(XmppModule module) {
        try {
            return module.getClass().getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("module " + module.name() + " runs on every hosted domain and needs a "
                    + "public no-argument constructor for each: " + e, e);
        }
    }

    /** The modules, in discovery order. */
    public List<XmppModule> modules() {
        return modules;
    }

    /** The configuration options of the core and of these modules. */
    public ConfigSchema schema() {
        Map<String, List<ModuleOption<?>>> options = new LinkedHashMap<>();
        for (XmppModule module : modules) {
            options.put(module.name(), module.options());
        }
        return ConfigSchema.of(options);
    }
}
