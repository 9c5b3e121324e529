package im.parley.s2s.dns;

import im.parley.s2s.HostPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a remote domain's server listens (RFC 6120 §3.2): a static route from the
 * configuration first; then DNS SRV, {@code _xmpps-server._tcp} for direct TLS (XEP-0368 §3)
 * followed by {@code _xmpp-server._tcp} (RFC 6120 §3.2.1), each ordered by RFC 2782; and when
 * there are no SRV records, the domain's own A/AAAA records on port 5269 (§3.2.2). A single SRV
 * record with target "." means the service is decidedly not offered (RFC 2782).
 * Blocking: call it off the event loops.
 */
public final class S2sResolver {

    private static final Logger LOG = LoggerFactory.getLogger(S2sResolver.class);
    private static final int DEFAULT_PORT = 5269;

    private final Map<DomainBareJid, S2sTarget> staticRoutes;
    private final SrvLookup dns;
    private final Random random;

    public S2sResolver(Map<DomainBareJid, S2sTarget> staticRoutes, SrvLookup dns, Random random) {
        this.staticRoutes = Map.copyOf(staticRoutes);
        this.dns = dns;
        this.random = random;
    }

    /** The targets to try, in order; empty when SRV says the domain offers no s2s service. */
    public List<S2sTarget> resolve(DomainBareJid domain) {
        S2sTarget route = staticRoutes.get(domain);
        if (route != null) {
            return List.of(route);
        }
        String name = domain.toString();
        List<S2sTarget> targets = new ArrayList<>();
        boolean anySrv = false;
        boolean decidedlyAbsent = false;
        for (boolean directTls : new boolean[] {true, false}) {
            String service = (directTls ? "_xmpps-server._tcp." : "_xmpp-server._tcp.") + name;
            List<SrvRecord> records = lookup(service);
            if (records.size() == 1 && isRootTarget(records.get(0).target())) {
                decidedlyAbsent |= !directTls;
                continue;
            }
            anySrv |= !records.isEmpty();
            for (SrvRecord record : SrvOrdering.order(records, random)) {
                String host = record.target().endsWith(".")
                        ? record.target().substring(0, record.target().length() - 1) : record.target();
                targets.add(new S2sTarget(new HostPort(host, record.port()), directTls));
            }
        }
        if (!anySrv && !decidedlyAbsent) {
            targets.add(new S2sTarget(new HostPort(name, DEFAULT_PORT), false));
        }
        return targets;
    }

    private static boolean isRootTarget(String target) {
        return target.isEmpty() || ".".equals(target);
    }

    private List<SrvRecord> lookup(String service) {
        try {
            return dns.lookup(service);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SRV lookup of {} failed: {}", service, e.toString());
            return List.of();
        }
    }
}
