package im.parley.server.config;

import java.time.Duration;
import java.util.List;

/**
 * What bounds each connection of the HTTP listeners (BOSH, WebSocket, host-meta), so that no
 * client can hold a connection, a buffer or a share of the server for longer than it needs.
 *
 * @param idleTimeout a connection with no request in progress and none being answered is closed
 *     after this long (a fresh connection that sends nothing, an idle keep-alive one)
 * @param headerTimeout a request's line and headers must arrive within this long of its first
 *     byte, or it gets 408 (RFC 9110 §15.5.9)
 * @param bodyTimeout a request body (or a WebSocket message) must arrive within this long of
 *     its headers (its first byte), or it gets 408 (a WebSocket close 1008)
 * @param websocketIdleTimeout a WebSocket that sends nothing for this long is pinged (RFC 6455
 *     §5.5.2), and closed if it then sends nothing for as long again
 * @param maxHeaderBytes largest request line, and largest header block, in bytes: 414 (RFC 9110
 *     §15.5.15) or 431 (RFC 6585 §5) beyond
 * @param maxConnectionsPerAddress most connections open at once from one client address (an
 *     IPv6 client's /64); more are closed as soon as they are accepted
 * @param trustedProxies addresses of reverse proxies in front of the listener: their connections
 *     are not limited per address, and the address their {@code X-Forwarded-For} names is the
 *     client's
 */
public record HttpLimits(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
                         Duration websocketIdleTimeout, int maxHeaderBytes, int maxConnectionsPerAddress,
                         List<String> trustedProxies) {

    public HttpLimits {
        trustedProxies = List.copyOf(trustedProxies);
    }

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 8 * 1024, 100, List.of("127.0.0.1", "::1"));
    }

    public HttpLimits withIdleTimeout(Duration v) {
        return new HttpLimits(v, headerTimeout, bodyTimeout, websocketIdleTimeout, maxHeaderBytes,
                maxConnectionsPerAddress, trustedProxies);
    }

    public HttpLimits withHeaderTimeout(Duration v) {
        return new HttpLimits(idleTimeout, v, bodyTimeout, websocketIdleTimeout, maxHeaderBytes,
                maxConnectionsPerAddress, trustedProxies);
    }

    public HttpLimits withBodyTimeout(Duration v) {
        return new HttpLimits(idleTimeout, headerTimeout, v, websocketIdleTimeout, maxHeaderBytes,
                maxConnectionsPerAddress, trustedProxies);
    }

    public HttpLimits withWebsocketIdleTimeout(Duration v) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, v, maxHeaderBytes,
                maxConnectionsPerAddress, trustedProxies);
    }

    public HttpLimits withMaxHeaderBytes(int v) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, websocketIdleTimeout, v,
                maxConnectionsPerAddress, trustedProxies);
    }

    public HttpLimits withMaxConnectionsPerAddress(int v) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, websocketIdleTimeout, maxHeaderBytes, v,
                trustedProxies);
    }

    public HttpLimits withTrustedProxies(List<String> v) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, websocketIdleTimeout, maxHeaderBytes,
                maxConnectionsPerAddress, v);
    }
}
