package im.parley.server.config;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The options of the HTTP bindings (BOSH, WebSocket, CORS), declared next to the others. */
final class HttpOptions {

    /** CORS origins (RFC 6454 §7): {@code *}, or {@code scheme://host[:port]} each. */
    static final ValueType<List<String>> ORIGINS = new TextListType(
            "list of origins (`https://chat.example.org`) or `[\"*\"]`", "origins",
            text -> text.equals("*") || isOrigin(text),
            "an origin such as https://chat.example.org (scheme, host and optional port, no path), or *");

    /** IP addresses, written as literals: nothing is resolved. */
    static final ValueType<List<String>> ADDRESSES = new TextListType(
            "list of IP addresses (`10.0.0.5`, `::1`)", "IP addresses",
            text -> NetUtil.createInetAddressFromIpAddressString(text) != null, "an IP address such as 10.0.0.5 or ::1");

    private HttpOptions() {
    }

    static void declare(List<ConfigOption<?>> all) {
        all.add(new ConfigOption<>("http.cors_origins", ORIGINS,
                "Web origins whose pages may use BOSH from a browser (CORS, with `OPTIONS` preflight); empty: none.",
                "[\"https://chat.example.org\"]",
                c -> c.web().corsOrigins(), (c, v) -> c.withWeb(c.web().withCorsOrigins(v))));
        all.add(new ConfigOption<>("http.consider_secure", ValueType.BOOLEAN,
                "Treat plain-HTTP BOSH and WebSocket clients as secure (behind a proxy that terminates TLS); a client "
                        + "that connects straight from loopback is secure without it.",
                c -> c.web().considerSecure(), (c, v) -> c.withWeb(c.web().withConsiderSecure(v))));
        all.add(new ConfigOption<>("http.max_request_size", ValueType.integer(1024, Integer.MAX_VALUE),
                "Largest HTTP request body (not a file upload: `upload.max_file_size`) and WebSocket message in "
                        + "bytes; larger gets 413 or a stream error.",
                c -> c.web().maxRequestBytes(), (c, v) -> c.withWeb(c.web().withMaxRequestBytes(v))));
        limits(all, "max_header_size", ValueType.integer(1024, 1024 * 1024),
                "Largest request line, and largest header block, in bytes; larger gets 414 or 431.",
                HttpLimits::maxHeaderBytes, HttpLimits::withMaxHeaderBytes);
        limits(all, "header_timeout", ValueType.DURATION,
                "A request's line and headers must arrive within this long of its first byte, or it gets 408.",
                HttpLimits::headerTimeout, HttpLimits::withHeaderTimeout);
        limits(all, "body_timeout", ValueType.DURATION,
                "A request body, or a WebSocket message, must arrive within this long of its start, or it gets 408 "
                        + "(WebSocket: close 1008); a file upload's body, each piece within this long of the last; a download's "
                        + "pieces must be taken by the client within it, or the connection is closed.",
                HttpLimits::bodyTimeout, HttpLimits::withBodyTimeout);
        limits(all, "idle_timeout", ValueType.DURATION,
                "A connection with no request in progress or being answered is closed after this long "
                        + "(a held BOSH request is being answered: it lasts up to `wait`).",
                HttpLimits::idleTimeout, HttpLimits::withIdleTimeout);
        limits(all, "websocket_idle_timeout", ValueType.DURATION,
                "A WebSocket that sends nothing for this long is pinged, and closed if it sends nothing for as long again.",
                HttpLimits::websocketIdleTimeout, HttpLimits::withWebsocketIdleTimeout);
        limits(all, "max_connections_per_address", ValueType.POSITIVE,
                "Most HTTP connections open at once from one client address (an IPv6 client's /64); more are closed "
                        + "when accepted.",
                HttpLimits::maxConnectionsPerAddress, HttpLimits::withMaxConnectionsPerAddress);
        limits(all, "trusted_proxies", ADDRESSES,
                "Reverse proxies in front of the listener: not limited per address; the client is the address their "
                        + "`X-Forwarded-For` names.",
                HttpLimits::trustedProxies, HttpLimits::withTrustedProxies);
        bosh(all, "max_wait", ValueType.DURATION, "Longest a request is held before an empty response (`wait`).",
                HttpConfig.BoshConfig::maxWait, HttpConfig.BoshConfig::withMaxWait);
        bosh(all, "max_hold", ValueType.integer(0, 16), "Most requests held at once (`hold`); `requests` is one more.",
                HttpConfig.BoshConfig::maxHold, HttpConfig.BoshConfig::withMaxHold);
        bosh(all, "inactivity", ValueType.DURATION,
                "A session with no request for this long ends (unavailable presence; queued messages go to offline storage).",
                HttpConfig.BoshConfig::inactivity, HttpConfig.BoshConfig::withInactivity);
        bosh(all, "max_pause", ValueType.DURATION, "Longest `pause` a client may ask for (XEP-0124 §10).",
                HttpConfig.BoshConfig::maxPause, HttpConfig.BoshConfig::withMaxPause);
        bosh(all, "polling", ValueType.DURATION,
                "Shortest interval between empty requests of a polling session (`hold=0`); faster is `policy-violation`.",
                HttpConfig.BoshConfig::polling, HttpConfig.BoshConfig::withPolling);
        bosh(all, "max_sessions", ValueType.POSITIVE, "Most BOSH sessions at once.",
                HttpConfig.BoshConfig::maxSessions, HttpConfig.BoshConfig::withMaxSessions);
        bosh(all, "max_sessions_per_address", ValueType.POSITIVE,
                "Most BOSH sessions at once from one client address (an IPv6 client's /64); more get `policy-violation`.",
                HttpConfig.BoshConfig::maxSessionsPerAddress, HttpConfig.BoshConfig::withMaxSessionsPerAddress);
        bosh(all, "max_queued_bytes", ValueType.POSITIVE,
                "Output queued for a client that does not collect it; beyond this the session ends.",
                HttpConfig.BoshConfig::maxQueuedBytes, HttpConfig.BoshConfig::withMaxQueuedBytes);
    }

    private static <T> void bosh(List<ConfigOption<?>> all, String name, ValueType<T> type, String doc,
                                 Function<HttpConfig.BoshConfig, T> get,
                                 BiFunction<HttpConfig.BoshConfig, T, HttpConfig.BoshConfig> set) {
        part(all, "bosh." + name, type, doc, HttpConfig::bosh, HttpConfig::withBosh, get, set);
    }

    private static <T> void limits(List<ConfigOption<?>> all, String name, ValueType<T> type, String doc,
                                   Function<HttpLimits, T> get, BiFunction<HttpLimits, T, HttpLimits> set) {
        part(all, "http." + name, type, doc, HttpConfig::limits, HttpConfig::withLimits, get, set);
    }

    /** An option held in a part ({@code P}) of the HTTP settings, such as the BOSH limits. */
    private static <P, T> void part(List<ConfigOption<?>> all, String key, ValueType<T> type, String doc,
                                    Function<HttpConfig, P> part, BiFunction<HttpConfig, P, HttpConfig> withPart,
                                    Function<P, T> get, BiFunction<P, T, P> set) {
        all.add(new ConfigOption<>(key, type, doc, c -> get.apply(part.apply(c.web())),
                (c, v) -> c.withWeb(withPart.apply(c.web(), set.apply(part.apply(c.web()), v)))));
    }

    private static boolean isOrigin(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
