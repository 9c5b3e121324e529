package im.parley.server.metrics;

import im.parley.s2s.S2sRouter;
import im.parley.server.http.BoshSessions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges of what the network side holds: BOSH sessions, server-to-server links and their queues. */
public final class ListenerGauges {

    static final String BOSH_SESSIONS = "parley.bosh.sessions";
    static final String S2S_LINKS = "parley.s2s.links";
    static final String S2S_QUEUED = "parley.s2s.queued.stanzas";

    private ListenerGauges() {
    }

    /** BOSH sessions (XEP-0124), bound or still negotiating. */
    public static void bosh(MeterRegistry registry, BoshSessions sessions) {
        Gauge.builder(BOSH_SESSIONS, sessions, BoshSessions::size).description("Live BOSH sessions")
                .register(registry);
    }

    /** Server-to-server links by direction, and the stanzas waiting for an outbound link to be set up. */
    public static void federation(MeterRegistry registry, S2sRouter s2s) {
        Gauge.builder(S2S_LINKS, s2s, S2sRouter::inboundStreams).tag("direction", "in")
                .description("Server-to-server connections").register(registry);
        Gauge.builder(S2S_LINKS, s2s, S2sRouter::outboundStreams).tag("direction", "out")
                .description("Server-to-server connections").register(registry);
        Gauge.builder(S2S_QUEUED, s2s, S2sRouter::queuedStanzas)
                .description("Stanzas waiting for an outbound server-to-server stream to be set up").register(registry);
    }
}
