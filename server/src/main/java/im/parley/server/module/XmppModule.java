package im.parley.server.module;

/**
 * A server feature, loaded once at start (STYLE.md #1): it registers handlers through its
 * {@link ModuleContext} and never touches a socket.
 */
public interface XmppModule {

    /** Short unique name, e.g. {@code ping}. */
    String name();

    /** Registers the module's handlers. */
    void load(ModuleContext context);
}
