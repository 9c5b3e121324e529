package im.parley.s2s.dns;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.s2s.HostPort;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;

/** RFC 6120 §3.2, XEP-0368 §3, RFC 2782: where to connect for a remote domain. */
class S2sResolverTest {

    private static DomainBareJid domain(String name) throws Exception {
        return Jids.parseDomain(name);
    }

    private static SrvLookup dns(Map<String, List<SrvRecord>> records) {
        return name -> {
            if (name.startsWith("_broken")) {
                throw new IOException("no answer");
            }
            return records.getOrDefault(name, List.of());
        };
    }

    @Test
    void staticRoutesComeBeforeDns() throws Exception {
        S2sResolver resolver = new S2sResolver(Map.of(domain("example.net"), S2sTarget.parse("10.0.0.7:5999")),
                dns(Map.of("_xmpp-server._tcp.example.net", List.of(new SrvRecord(0, 0, 5269, "xmpp.example.net")))),
                new Random(1));
        assertThat(resolver.resolve(domain("example.net")))
                .containsExactly(new S2sTarget(new HostPort("10.0.0.7", 5999), false));
    }

    @Test
    void directTlsSrvComesFirstThenStartTlsSrvEachByPriority() throws Exception {
        S2sResolver resolver = new S2sResolver(Map.of(), dns(Map.of(
                "_xmpps-server._tcp.example.org", List.of(new SrvRecord(10, 0, 5270, "tls.example.org.")),
                "_xmpp-server._tcp.example.org", List.of(
                        new SrvRecord(20, 0, 5269, "backup.example.org."),
                        new SrvRecord(5, 0, 5269, "main.example.org.")))), new Random(1));
        assertThat(resolver.resolve(domain("example.org"))).containsExactly(
                new S2sTarget(new HostPort("tls.example.org", 5270), true),
                new S2sTarget(new HostPort("main.example.org", 5269), false),
                new S2sTarget(new HostPort("backup.example.org", 5269), false));
    }

    @Test
    void withoutSrvRecordsTheDomainItselfOnPort5269() throws Exception {
        S2sResolver resolver = new S2sResolver(Map.of(), dns(Map.of()), new Random(1));
        assertThat(resolver.resolve(domain("plain.example")))
                .containsExactly(new S2sTarget(new HostPort("plain.example", 5269), false));
    }

    /** RFC 2782: a single record with target "." means the service is decidedly not available. */
    @Test
    void aDotTargetMeansNoService() throws Exception {
        S2sResolver resolver = new S2sResolver(Map.of(), dns(Map.of(
                "_xmpp-server._tcp.noxmpp.example", List.of(new SrvRecord(0, 0, 0, ".")))), new Random(1));
        assertThat(resolver.resolve(domain("noxmpp.example"))).isEmpty();
    }

    /** RFC 2782: within a priority, heavier records come first more often; all records are kept. */
    @Test
    void weightsShapeTheOrderWithinAPriority() {
        SrvRecord heavy = new SrvRecord(1, 90, 5269, "heavy");
        SrvRecord light = new SrvRecord(1, 10, 5269, "light");
        Random random = new Random(42);
        int heavyFirst = 0;
        for (int i = 0; i < 1000; i++) {
            List<SrvRecord> ordered = SrvOrdering.order(List.of(light, heavy), random);
            assertThat(ordered).containsExactlyInAnyOrder(heavy, light);
            if (ordered.get(0) == heavy) {
                heavyFirst++;
            }
        }
        assertThat(heavyFirst).isBetween(820, 960);
    }

    @Test
    void staticRouteSyntax() {
        assertThat(S2sTarget.parse("xmpps://h.example:5270")).isEqualTo(new S2sTarget(new HostPort("h.example", 5270), true));
        assertThat(S2sTarget.parse("[::1]:5269")).isEqualTo(new S2sTarget(new HostPort("::1", 5269), false));
        assertThat(S2sTarget.parse("h.example")).isEqualTo(new S2sTarget(new HostPort("h.example", 5269), false));
    }
}
