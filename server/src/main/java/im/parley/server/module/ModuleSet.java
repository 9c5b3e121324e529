package im.parley.server.module;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules that run, in load order: the catalog's modules except the disabled ones, each
 * after the modules it depends on, otherwise in catalog order. Resolved from a list of disabled
 * names so that a per-host list can be resolved the same way.
 */
public final class ModuleSet {

    private final List<XmppModule> ordered;

    private ModuleSet(List<XmppModule> ordered) {
        this.ordered = List.copyOf(ordered);
    }

    /**
     * Resolves the modules of {@code catalog} without those named in {@code disabled}.
     *
     * @throws IllegalStateException naming both modules if a running module depends on one that
     *     is disabled or not installed, or if dependencies form a cycle
     */
    public static ModuleSet resolve(ModuleCatalog catalog, Collection<String> disabled) {
        Map<String, XmppModule> byName = new LinkedHashMap<>();
        catalog.modules().forEach(module -> byName.put(module.name(), module));
        List<XmppModule> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (XmppModule module : catalog.modules()) {
            if (!disabled.contains(module.name())) {
                place(module, byName, disabled, placed, new ArrayList<>(), ordered);
            }
        }
        return new ModuleSet(ordered);
    }

    private static void place(XmppModule module, Map<String, XmppModule> byName, Collection<String> disabled,
                              Set<String> placed, List<String> path, List<XmppModule> ordered) {
        if (placed.contains(module.name())) {
            return;
        }
        if (path.contains(module.name())) {
            throw new IllegalStateException("modules depend on each other in a cycle: "
                    + String.join(" -> ", path) + " -> " + module.name());
        }
        path.add(module.name());
        for (String dependency : module.dependsOn()) {
            XmppModule needed = byName.get(dependency);
            if (needed == null) {
                throw new IllegalStateException("module " + module.name() + " needs module " + dependency
                        + ", which is not installed");
            }
            if (disabled.contains(dependency)) {
                throw new IllegalStateException("module " + module.name() + " needs module " + dependency
                        + ", which is disabled (modules.disabled)");
            }
            place(needed, byName, disabled, placed, path, ordered);
        }
        path.remove(path.size() - 1);
        placed.add(module.name());
        ordered.add(module);
    }

    /** The running modules, each after its dependencies. */
    public List<XmppModule> modules() {
        return ordered;
    }

    /** The names of the running modules, in load order. */
    public List<String> names() {
        return ordered.stream().map(XmppModule::name).toList();
    }
}
