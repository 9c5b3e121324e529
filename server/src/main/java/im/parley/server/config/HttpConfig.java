package im.parley.server.config;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP bindings of client streams: BOSH (XEP-0124, XEP-0206) and WebSocket (RFC 7395), and
 * what the plain {@code http} listener ({@link ParleyConfig#http()}) shares with {@code https}.
 *
 * @param https the TLS listener ({@code https://…/http-bind}, {@code wss://…/xmpp-websocket})
 * @param corsOrigins origins browsers may call the endpoints from (CORS); {@code *} is any
 *     origin, empty allows none
 * @param considerSecure treat plain-HTTP clients as if they used TLS (a TLS proxy in front,
 *     or loopback): SASL PLAIN and {@code secure='true'} then apply (Prosody's
 *     {@code consider_bosh_secure})
 * @param maxRequestBytes largest HTTP request body, and largest WebSocket message
 * @param bosh BOSH session limits
 * @param limits timeouts, sizes and per-address limits of each HTTP connection
 */
public record HttpConfig(ListenerConfig https, List<String> corsOrigins, boolean considerSecure, int maxRequestBytes,
                         BoshConfig bosh, HttpLimits limits) {

    public HttpConfig {
        corsOrigins = List.copyOf(corsOrigins);
    }

    public static HttpConfig defaults() {
        return new HttpConfig(ListenerConfig.off("127.0.0.1", 5443), List.of(), false, 512 * 1024,
                BoshConfig.defaults(), HttpLimits.defaults());
    }

    public HttpConfig withHttps(ListenerConfig listener) {
        return new HttpConfig(listener, corsOrigins, considerSecure, maxRequestBytes, bosh, limits);
    }

    public HttpConfig withCorsOrigins(List<String> origins) {
        return new HttpConfig(https, origins, considerSecure, maxRequestBytes, bosh, limits);
    }

    public HttpConfig withConsiderSecure(boolean secure) {
        return new HttpConfig(https, corsOrigins, secure, maxRequestBytes, bosh, limits);
    }

    public HttpConfig withMaxRequestBytes(int bytes) {
        return new HttpConfig(https, corsOrigins, considerSecure, bytes, bosh, limits);
    }

    public HttpConfig withBosh(BoshConfig newBosh) {
        return new HttpConfig(https, corsOrigins, considerSecure, maxRequestBytes, newBosh, limits);
    }

    public HttpConfig withLimits(HttpLimits newLimits) {
        return new HttpConfig(https, corsOrigins, considerSecure, maxRequestBytes, bosh, newLimits);
    }

    /**
     * BOSH limits (XEP-0124 §7.1): the session creation response grants the client at most
     * these values.
     *
     * @param maxWait longest a request is held before an empty response ({@code wait})
     * @param maxHold most requests held at once ({@code hold}); {@code requests} is one more
     * @param inactivity how long a session may go with no request held before it ends
     * @param maxPause longest {@code pause} a client may ask for (§10)
     * @param polling shortest interval between empty requests of a polling session ({@code hold=0})
     * @param maxSessions most BOSH sessions at once
     * @param maxSessionsPerAddress most BOSH sessions at once from one client address (an IPv6
     *     client's /64), so that no one address takes all of {@code maxSessions}
     * @param maxQueuedBytes output queued for a session that does not collect it before it ends
     */
    public record BoshConfig(Duration maxWait, int maxHold, Duration inactivity, Duration maxPause, Duration polling,
                             int maxSessions, int maxSessionsPerAddress, int maxQueuedBytes) {

        public static BoshConfig defaults() {
            return new BoshConfig(Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Duration.ofSeconds(120),
                    Duration.ofSeconds(2), 10_000, 50, 1024 * 1024);
        }

        public BoshConfig withMaxWait(Duration v) {
            return new BoshConfig(v, maxHold, inactivity, maxPause, polling, maxSessions, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withMaxHold(int v) {
            return new BoshConfig(maxWait, v, inactivity, maxPause, polling, maxSessions, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withInactivity(Duration v) {
            return new BoshConfig(maxWait, maxHold, v, maxPause, polling, maxSessions, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withMaxPause(Duration v) {
            return new BoshConfig(maxWait, maxHold, inactivity, v, polling, maxSessions, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withPolling(Duration v) {
            return new BoshConfig(maxWait, maxHold, inactivity, maxPause, v, maxSessions, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withMaxSessions(int v) {
            return new BoshConfig(maxWait, maxHold, inactivity, maxPause, polling, v, maxSessionsPerAddress,
                    maxQueuedBytes);
        }

        public BoshConfig withMaxSessionsPerAddress(int v) {
            return new BoshConfig(maxWait, maxHold, inactivity, maxPause, polling, maxSessions, v, maxQueuedBytes);
        }

        public BoshConfig withMaxQueuedBytes(int v) {
            return new BoshConfig(maxWait, maxHold, inactivity, maxPause, polling, maxSessions,
                    maxSessionsPerAddress, v);
        }
    }
}
