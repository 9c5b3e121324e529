package im.parley.server.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The {@link HttpService}s modules registered, by path prefix or exact path: the HTTP listeners
 * route a request whose path starts with a prefix ({@code /upload/}), or is an exact path
 * ({@code /metrics}), to its service (an exact path, then the longest prefix, wins) before BOSH,
 * WebSocket and host-meta see it. Modules register while they load; the listeners read.
 */
public final class HttpServices {

    private final Map<String, HttpService> byPrefix = new ConcurrentSkipListMap<>();

    /**
     * Routes requests under {@code prefix} (e.g. {@code /upload/}) to {@code service}; a prefix
     * that does not end with {@code /} (e.g. {@code /metrics}) is an exact path: it takes that path
     * alone.
     *
     * @throws IllegalArgumentException if the prefix does not start with {@code /}, is {@code /}
     *     alone, or would take the paths of BOSH, WebSocket or host-meta
     * @throws IllegalStateException if another service has the prefix
     */
    public void register(String prefix, HttpService service) {
        if (!prefix.startsWith("/") || prefix.length() < 3) {
            throw new IllegalArgumentException("an HTTP prefix is a path of its own such as /upload/ or /metrics, got "
                    + prefix);
        }
        for (String taken : new String[] {HttpChannelInitializer.BOSH_PATH, HttpChannelInitializer.WEBSOCKET_PATH,
                HostMeta.XRD_PATH}) {
            if ((taken + "/").startsWith(prefix)) {
                throw new IllegalArgumentException("HTTP prefix " + prefix + " would take " + taken);
            }
        }
        if (byPrefix.putIfAbsent(prefix, service) != null) {
            throw new IllegalStateException("HTTP prefix " + prefix + " is already served");
        }
    }

    /** The service for a request path, if a prefix matches it. */
    public Optional<HttpService> find(String path) {
        HttpService exact = byPrefix.get(path);
        if (exact != null) {
            return Optional.of(exact);
        }
        HttpService found = null;
        int longest = -1;
        for (Map.Entry<String, HttpService> entry : byPrefix.entrySet()) {
            if (entry.getKey().endsWith("/") && path.startsWith(entry.getKey()) && entry.getKey().length() > longest) {
                found = entry.getValue();
                longest = entry.getKey().length();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return byPrefix.isEmpty();
    }
}
