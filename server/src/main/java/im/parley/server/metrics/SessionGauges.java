package im.parley.server.metrics;

import im.parley.server.c2s.C2sSession;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bound client sessions by transport ({@code tcp}, {@code websocket}, {@code bosh}), counted in
 * the route table when scraped: binding and unbinding a session pay nothing for them. One scrape
 * reads the three gauges in a row, so the count of all three is taken in one pass over the route
 * table and reused for {@link #REUSE_NANOS} (a scrape every second with thousands of sessions
 * spent most of its time walking the table three times: docs/benchmarks.md, the metrics' cost).
 */
public final class SessionGauges {

    static final String SESSIONS = "parley.sessions";
    /** The transports, in the order metrics and status list them. */
    public static final List<String> TRANSPORTS = List.of("tcp", "websocket", "bosh");
    /** How long one pass's counts serve the gauges: well under any scrape interval. */
    static final long REUSE_NANOS = 200_000_000L;

    private final RouteTable sessions;
    private final LongSupplier nanoClock;
    private Map<String, Integer> counts = Map.of();
    private long countedAt;
    private boolean counted;

    SessionGauges(RouteTable sessions, LongSupplier nanoClock) {
        this.sessions = sessions;
        this.nanoClock = nanoClock;
    }

    /** Registers a gauge per transport that counts the bound sessions of {@code sessions}. */
    public static void register(MeterRegistry registry, RouteTable sessions) {
        SessionGauges gauges = new SessionGauges(sessions, System::nanoTime);
        for (String transport : TRANSPORTS) {
            // strongReference: nothing else holds the counts, and a gauge's object is weakly held
            // by default (it read NaN after the first garbage collection).
            Gauge.builder(SESSIONS, gauges, g -> g.recent(transport)).tag("transport", transport)
                    .description("Bound client sessions").strongReference(true).register(registry);
        }
    }

    /** The bound client sessions of {@code transport}, from a pass at most {@link #REUSE_NANOS} old. */
    synchronized int recent(String transport) {
        long now = nanoClock.getAsLong();
        if (!counted || now - countedAt > REUSE_NANOS) {
            counts = count(sessions);
            countedAt = now;
            counted = true;
        }
        return counts.getOrDefault(transport, 0);
    }

    /** The bound client sessions of every transport, counted now in one pass. */
    public static Map<String, Integer> count(RouteTable sessions) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        TRANSPORTS.forEach(transport -> counts.put(transport, 0));
        for (LocalSession session : sessions.all()) {
            if (session instanceof C2sSession client) {
                counts.merge(client.transport().kind(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
