package im.parley.server.module;

import im.parley.server.config.ModuleOption;
import java.util.List;

/**
 * A server feature, loaded at start (STYLE.md #1) once per hosted domain, each instance with the
 * context of its host ({@link #global()} modules once for the server): it registers handlers,
 * stream and disco features and its stores through its {@link ModuleContext} and never touches a
 * socket.
 *
 * <p>Modules are discovered with {@link java.util.ServiceLoader}: a module is its package plus
 * one line naming its class in {@code META-INF/services/im.parley.server.module.XmppModule}
 * (a public no-argument constructor, or a public static {@code provider()} method). No central
 * list names them ({@link ModuleCatalog}); {@code modules.disabled} in the configuration turns
 * one off ({@link ModuleSet}).
 */
public interface XmppModule {

    /** Short unique name, e.g. {@code ping}; {@code modules.disabled} and {@link #dependsOn()} use it. */
    String name();

    /**
     * Names of the modules this one needs (their events, their options): they load first, and
     * the server does not start if one is missing or disabled.
     */
    default List<String> dependsOn() {
        return List.of();
    }

    /**
     * The options this module reads (declared as constants next to the code that reads them,
     * STYLE.md #9): the configuration file accepts them and docs/configuration.md documents them.
     * Read their values with {@link ModuleContext#option}.
     */
    default List<ModuleOption<?>> options() {
        return List.of();
    }

    /**
     * True for a module that serves the whole server rather than a host (an in-process service
     * started once, such as the push app server): it is loaded once, with the context of the
     * first hosted domain. Host modules (the default) get an instance per hosted domain, made
     * with the public no-argument constructor.
     */
    default boolean global() {
        return false;
    }

    /** Registers the module's handlers. */
    void load(ModuleContext context);
}
