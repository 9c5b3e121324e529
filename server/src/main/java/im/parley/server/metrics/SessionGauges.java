package im.parley.server.metrics;

import im.parley.server.c2s.C2sSession;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Bound client sessions by transport ({@code tcp}, {@code websocket}, {@code bosh}), counted in
 * the route table when scraped: binding and unbinding a session pay nothing for them.
 */
public final class SessionGauges {

    static final String SESSIONS = "parley.sessions";
    /** The transports, in the order metrics and status list them. */
    public static final List<String> TRANSPORTS = List.of("tcp", "websocket", "bosh");

    private SessionGauges() {
    }

    /** Registers a gauge per transport that counts the bound sessions of {@code sessions}. */
    public static void register(MeterRegistry registry, RouteTable sessions) {
        for (String transport : TRANSPORTS) {
            Gauge.builder(SESSIONS, sessions, table -> count(table, transport)).tag("transport", transport)
                    .description("Bound client sessions").register(registry);
        }
    }

    /** The bound client sessions of {@code transport}, counted now. */
    public static int count(RouteTable sessions, String transport) {
        int count = 0;
        for (LocalSession session : sessions.all()) {
            if (session instanceof C2sSession client && client.transport().kind().equals(transport)) {
                count++;
            }
        }
        return count;
    }
}
