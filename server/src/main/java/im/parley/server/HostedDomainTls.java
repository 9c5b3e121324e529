package im.parley.server;

import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;

/**
 * The hosts that present certificates, each with the hosted domain it belongs to, in the shape
 * {@link im.parley.server.tls.ServerCertificates#addHosts} takes them.
 */
final class HostedDomainTls {

    private HostedDomainTls() {
    }

    /** Each hosted domain belongs to itself. */
    static Map<DomainBareJid, DomainBareJid> hostedDomains(Set<DomainBareJid> domains) {
        Map<DomainBareJid, DomainBareJid> owners = new LinkedHashMap<>();
        domains.forEach(domain -> owners.put(domain, domain));
        return owners;
    }

    /** Every component host (group chat, upload, proxy, …) with the hosted domain whose module serves it. */
    static Map<DomainBareJid, DomainBareJid> componentHosts(HostRegistry hosts) {
        Map<DomainBareJid, DomainBareJid> owners = new LinkedHashMap<>();
        for (Host host : hosts.all()) {
            if (host.kind() != Host.Kind.COMPONENT) {
                continue;
            }
            Host owner = host.parent().orElseThrow();
            while (owner.kind() == Host.Kind.COMPONENT) {
                owner = owner.parent().orElseThrow();
            }
            owners.put(host.domain(), owner.domain());
        }
        return owners;
    }
}
