package im.parley.server.session;

import im.parley.server.event.SessionEvents;
import im.parley.server.host.HostRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The route table of a single server: the bound client sessions of this process, by bare JID
 * and resource. Session lifecycle events fire on the bus of the session's host.
 */
public final class InMemoryRouteTable implements RouteTable {

    private final Map<EntityBareJid, Map<Resourcepart, LocalSession>> sessions = new ConcurrentHashMap<>();
    private final HostRegistry hosts;
    private final SharedCaches caches;

    public InMemoryRouteTable(HostRegistry hosts) {
        this(hosts, SharedCaches.LOCAL);
    }

    /** @param caches what {@link #caches()} gives: nobody else on a single server, a stand-in for other nodes in tests */
    public InMemoryRouteTable(HostRegistry hosts, SharedCaches caches) {
        this.hosts = hosts;
        this.caches = caches;
    }

    @Override
    public SharedCaches caches() {
        return caches;
    }

    /**
     * Binds the session under its full JID and returns the session it replaced, if any (the
     * caller decides what to do with a conflict, RFC 6120 §7.7.2.2).
     */
    @Override
    public Optional<LocalSession> bind(LocalSession session) {
        EntityFullJid jid = session.jid();
        LocalSession previous = sessions.computeIfAbsent(jid.asEntityBareJid(), k -> new ConcurrentHashMap<>())
                .put(jid.getResourcepart(), session);
        if (previous != null) {
            hosts.fire(jid, SessionEvents.CLOSED, previous);
        }
        hosts.fire(jid, SessionEvents.BOUND, session);
        return Optional.ofNullable(previous);
    }

    /** True if a session is bound under this full JID. */
    @Override
    public boolean isBound(EntityFullJid jid) {
        return find(jid).isPresent();
    }

    /** Removes the session if it is still the one bound under its JID, and tells the modules. */
    @Override
    public void unbind(LocalSession session) {
        EntityFullJid jid = session.jid();
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(jid.asEntityBareJid(), (bare, resources) -> {
            removed[0] = resources.remove(jid.getResourcepart(), session);
            return resources.isEmpty() ? null : resources;
        });
        if (removed[0]) {
            hosts.fire(jid, SessionEvents.CLOSED, session);
        }
    }

    @Override
    public Optional<LocalSession> find(EntityFullJid jid) {
        Map<Resourcepart, LocalSession> resources = sessions.get(jid.asEntityBareJid());
        return resources == null ? Optional.empty() : Optional.ofNullable(resources.get(jid.getResourcepart()));
    }

    /** All sessions of an account, in no particular order. */
    @Override
    public List<LocalSession> sessionsOf(EntityBareJid jid) {
        Map<Resourcepart, LocalSession> resources = sessions.get(jid);
        return resources == null ? List.of() : new ArrayList<>(resources.values());
    }

    /** Number of bound sessions. */
    @Override
    public int size() {
        int n = 0;
        for (Map<Resourcepart, LocalSession> resources : sessions.values()) {
            n += resources.size();
        }
        return n;
    }

    /** Every bound session (for shutdown). */
    @Override
    public List<LocalSession> all() {
        List<LocalSession> all = new ArrayList<>();
        sessions.values().forEach(r -> all.addAll(r.values()));
        return all;
    }
}
