package im.parley.server.module;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The IQ handlers modules registered, by target and payload namespace. */
public final class IqHandlers {

    private final Map<String, IqHandler> serverHandlers = new ConcurrentHashMap<>();
    private final Map<String, IqHandler> accountHandlers = new ConcurrentHashMap<>();

    public void registerServer(String namespace, IqHandler handler) {
        register(serverHandlers, namespace, handler);
    }

    public void registerAccount(String namespace, IqHandler handler) {
        register(accountHandlers, namespace, handler);
    }

    public Optional<IqHandler> forServer(String namespace) {
        return Optional.ofNullable(serverHandlers.get(namespace));
    }

    public Optional<IqHandler> forAccount(String namespace) {
        return Optional.ofNullable(accountHandlers.get(namespace));
    }

    private static void register(Map<String, IqHandler> handlers, String namespace, IqHandler handler) {
        if (handlers.putIfAbsent(namespace, handler) != null) {
            throw new IllegalStateException("two modules handle IQs in namespace " + namespace);
        }
    }
}
