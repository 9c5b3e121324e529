package im.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The session gauges of one scrape share one pass over the route table (the three transports'
 * gauges are read in a row), and a later scrape counts again.
 */
class SessionGaugesTest {

    private final AtomicInteger passes = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final SessionGauges gauges = new SessionGauges(new CountingTable(), nanos::get);

    @Test
    void theGaugesOfOneScrapeWalkTheRouteTableOnce() {
        for (String transport : SessionGauges.TRANSPORTS) {
            assertThat(gauges.recent(transport)).isZero();
        }
        assertThat(passes).hasValue(1);
    }

    @Test
    void aLaterScrapeCountsAgain() {
        gauges.recent("tcp");
        nanos.addAndGet(SessionGauges.REUSE_NANOS + 1);
        gauges.recent("tcp");
        assertThat(passes).hasValue(2);
    }

    @Test
    void theRegisteredGaugesStillCountAfterAGarbageCollection() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        SessionGauges.register(registry, new CountingTable());
        System.gc();
        assertThat(registry.get(SessionGauges.SESSIONS).tag("transport", "tcp").gauge().value()).isZero();
    }

    @Test
    void everyTransportIsCountedEvenWithoutSessions() {
        assertThat(SessionGauges.count(new CountingTable())).containsOnlyKeys(SessionGauges.TRANSPORTS)
                .allSatisfy((transport, count) -> assertThat(count).isZero());
    }

    /** A route table without sessions that counts the passes over all of them. */
    private final class CountingTable implements RouteTable {
        @Override
        public Optional<LocalSession> bind(LocalSession session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unbind(LocalSession session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LocalSession> find(EntityFullJid jid) {
            return Optional.empty();
        }

        @Override
        public List<LocalSession> sessionsOf(EntityBareJid account) {
            return List.of();
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public List<LocalSession> all() {
            passes.incrementAndGet();
            return List.of();
        }
    }
}
