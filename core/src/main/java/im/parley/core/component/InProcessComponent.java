package im.parley.core.component;

import java.nio.file.Path;
import java.util.Map;

/**
 * A component (XEP-0114) that a server can run in its own process, found with
 * {@link java.util.ServiceLoader} when its artifact is on the class path: it connects to the
 * server's own component listener, with the secret configured for its domain, exactly as an
 * external component would. The server never links against an implementation.
 */
public interface InProcessComponent {

    /** The name the server looks it up by, e.g. {@code push-app-server}. */
    String name();

    /**
     * Connects and returns once the server accepted the handshake (XEP-0114 §3). Blocks.
     *
     * @return closing it disconnects the component and releases what it holds
     */
    AutoCloseable start(Settings settings) throws Exception;

    /**
     * Where and as whom to connect, and the component's own settings.
     *
     * @param domain the component's domain
     * @param secret the handshake secret the server knows for {@code domain}
     * @param host the component listener's address
     * @param port the component listener's port
     * @param dataDir the server's data directory, for files the component keeps
     * @param options the component's own options by key (as the server's configuration names
     *     them under the component's section), values typed as the server read them; a null
     *     value means not set
     */
    record Settings(String domain, String secret, String host, int port, Path dataDir, Map<String, Object> options) {
    }
}
