package im.parley.server.module;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/** What a module may learn about the server once its listeners are bound ({@link ModuleContext#onStarted}). */
public interface RunningServer {

    /** The address the external component listener (XEP-0114) is bound to, if it runs. */
    Optional<InetSocketAddress> componentListener();

    /** The shared secret configured for a component domain in {@code components} (XEP-0114 §3). */
    Optional<String> componentSecret(String domain);

    /** The data directory ({@code data_dir}). */
    Path dataDir();

    /** The address the plain HTTP listener is bound to, if it runs (what {@link ModuleContext#handleHttp} serves on). */
    Optional<InetSocketAddress> httpListener();

    /** The address the HTTPS listener is bound to, if it runs. */
    Optional<InetSocketAddress> httpsListener();
}
