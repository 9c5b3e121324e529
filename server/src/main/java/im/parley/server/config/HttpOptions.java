package im.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The options of the HTTP bindings (BOSH, WebSocket, CORS), declared next to the others. */
final class HttpOptions {

    /** CORS origins (RFC 6454 §7): {@code *}, or {@code scheme://host[:port]} each. */
    static final ValueType<List<String>> ORIGINS = new ValueType<>() {
        @Override
        public String description() {
            return "list of origins (`https://chat.example.org`) or `[\"*\"]`";
        }

        @Override
        public List<String> read(JsonNode node, String key, ConfigSource source) throws ConfigException {
            if (!node.isArray()) {
                throw source.error(key, "expected a list of origins, got " + ValueType.describe(node));
            }
            List<String> origins = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String itemKey = key + "[" + i + "]";
                String text = ValueType.STRING.read(node.get(i), itemKey, source);
                if (!text.equals("*") && !isOrigin(text)) {
                    throw source.error(itemKey, "expected an origin such as https://chat.example.org "
                            + "(scheme, host and optional port, no path), or *, got \"" + text + "\"");
                }
                origins.add(text);
            }
            return List.copyOf(origins);
        }

        @Override
        public String toYaml(List<String> value) {
            List<String> quoted = new ArrayList<>();
            value.forEach(origin -> quoted.add(ValueType.STRING.toYaml(origin)));
            return "[" + String.join(", ", quoted) + "]";
        }
    };

    private HttpOptions() {
    }

    static void declare(List<ConfigOption<?>> all) {
        all.add(new ConfigOption<>("http.cors_origins", ORIGINS,
                "Web origins whose pages may use BOSH from a browser (CORS, with `OPTIONS` preflight); empty: none.",
                "[\"https://chat.example.org\"]",
                c -> c.web().corsOrigins(), (c, v) -> c.withWeb(c.web().withCorsOrigins(v))));
        all.add(new ConfigOption<>("http.consider_secure", ValueType.BOOLEAN,
                "Treat plain-HTTP BOSH and WebSocket clients as secure (behind a TLS proxy, or on loopback).",
                c -> c.web().considerSecure(), (c, v) -> c.withWeb(c.web().withConsiderSecure(v))));
        all.add(new ConfigOption<>("http.max_request_size", ValueType.integer(1024, Integer.MAX_VALUE),
                "Largest HTTP request body and WebSocket message in bytes; larger gets 413 or a stream error.",
                c -> c.web().maxRequestBytes(), (c, v) -> c.withWeb(c.web().withMaxRequestBytes(v))));
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
        bosh(all, "max_queued_bytes", ValueType.POSITIVE,
                "Output queued for a client that does not collect it; beyond this the session ends.",
                HttpConfig.BoshConfig::maxQueuedBytes, HttpConfig.BoshConfig::withMaxQueuedBytes);
    }

    private static <T> void bosh(List<ConfigOption<?>> all, String name, ValueType<T> type, String doc,
                                 java.util.function.Function<HttpConfig.BoshConfig, T> get,
                                 BiFunction<HttpConfig.BoshConfig, T, HttpConfig.BoshConfig> set) {
        all.add(new ConfigOption<>("bosh." + name, type, doc,
                c -> get.apply(c.web().bosh()), (c, v) -> c.withWeb(c.web().withBosh(set.apply(c.web().bosh(), v)))));
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
