package im.parley.server.module;

/** Work a module does once the server's listeners are bound (e.g. connect an in-process component). */
@FunctionalInterface
public interface StartHook {

    /**
     * Runs once, on the thread starting the server (it may block); an exception stops the start.
     *
     * @return a line for the start banner, or null
     */
    String started(RunningServer server) throws Exception;
}
