package im.parley.server.host;

import im.parley.server.event.EventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * The hosts this server serves: each hosted domain of the configuration, and the component
 * hosts modules add while they load. Thread-safe; hosts are added at start-up and never
 * removed while the server runs.
 */
public final class HostRegistry {

    private final Map<DomainBareJid, Host> hosts = new ConcurrentHashMap<>();
    private final Set<DomainBareJid> hostedDomains;

    /** A registry with one {@link Host.Kind#ACCOUNTS} host per hosted domain. */
    public HostRegistry(Set<DomainBareJid> hostedDomains) {
        this.hostedDomains = Set.copyOf(hostedDomains);
        for (DomainBareJid domain : hostedDomains) {
            hosts.put(domain, Host.accounts(domain));
        }
    }

    /** The hosted domains (with accounts); fixed at start, component hosts are not among them. */
    public Set<DomainBareJid> hostedDomains() {
        return hostedDomains;
    }

    /**
     * Adds a component host served by a module of {@code parent}, e.g. {@code conference.example.org}.
     *
     * @throws IllegalStateException if the domain is already served
     */
    public synchronized Host addComponent(DomainBareJid domain, Host parent) {
        if (hosts.containsKey(domain)) {
            throw new IllegalStateException(domain + " is already served by this server");
        }
        Host host = Host.component(domain, parent);
        hosts.put(domain, host);
        return host;
    }

    public Optional<Host> find(DomainBareJid domain) {
        return Optional.ofNullable(hosts.get(domain));
    }

    /** The host of a JID's domain, if it is served here. */
    public Optional<Host> hostOf(Jid jid) {
        return jid == null ? Optional.empty() : find(jid.asDomainBareJid());
    }

    public boolean isLocal(DomainBareJid domain) {
        return hosts.containsKey(domain);
    }

    /** Every host, hosted domains and component hosts. */
    public Collection<Host> all() {
        return List.copyOf(hosts.values());
    }

    /** The hosted domains (with accounts). */
    public List<Host> accountHosts() {
        List<Host> accounts = new ArrayList<>();
        for (Host host : hosts.values()) {
            if (host.kind() == Host.Kind.ACCOUNTS) {
                accounts.add(host);
            }
        }
        return accounts;
    }

    /**
     * Fires a host-scoped event (a session's lifecycle) on the bus of the host of {@code jid};
     * nothing happens for a domain not served here.
     */
    public <E> void fire(Jid jid, EventType<E> type, E event) {
        hostOf(jid).ifPresent(host -> host.events().fire(type, event));
    }
}
