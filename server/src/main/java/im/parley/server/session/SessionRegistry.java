package im.parley.server.session;

import im.parley.server.event.EventBus;
import im.parley.server.event.SessionEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The bound client sessions of this server, by bare JID and resource. Thread-safe: sessions
 * bind and unbind on their own event loops while routers look them up from others.
 */
public final class SessionRegistry {

    private final Map<EntityBareJid, Map<Resourcepart, LocalSession>> sessions = new ConcurrentHashMap<>();
    private final EventBus events;

    public SessionRegistry(EventBus events) {
        this.events = events;
    }

    /**
     * Binds the session under its full JID and returns the session it replaced, if any (the
     * caller decides what to do with a conflict, RFC 6120 §7.7.2.2).
     */
    public Optional<LocalSession> bind(LocalSession session) {
        EntityFullJid jid = session.jid();
        LocalSession previous = sessions.computeIfAbsent(jid.asEntityBareJid(), k -> new ConcurrentHashMap<>())
                .put(jid.getResourcepart(), session);
        if (previous != null) {
            events.fire(SessionEvents.CLOSED, previous);
        }
        events.fire(SessionEvents.BOUND, session);
        return Optional.ofNullable(previous);
    }

    /** True if a session is bound under this full JID. */
    public boolean isBound(EntityFullJid jid) {
        return find(jid).isPresent();
    }

    /** Removes the session if it is still the one bound under its JID, and tells the modules. */
    public void unbind(LocalSession session) {
        EntityFullJid jid = session.jid();
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(jid.asEntityBareJid(), (bare, resources) -> {
            removed[0] = resources.remove(jid.getResourcepart(), session);
            return resources.isEmpty() ? null : resources;
        });
        if (removed[0]) {
            events.fire(SessionEvents.CLOSED, session);
        }
    }

    public Optional<LocalSession> find(EntityFullJid jid) {
        Map<Resourcepart, LocalSession> resources = sessions.get(jid.asEntityBareJid());
        return resources == null ? Optional.empty() : Optional.ofNullable(resources.get(jid.getResourcepart()));
    }

    /** All sessions of an account, in no particular order. */
    public List<LocalSession> sessionsOf(EntityBareJid jid) {
        Map<Resourcepart, LocalSession> resources = sessions.get(jid);
        return resources == null ? List.of() : new ArrayList<>(resources.values());
    }

    /** Number of bound sessions. */
    public int size() {
        int n = 0;
        for (Map<Resourcepart, LocalSession> resources : sessions.values()) {
            n += resources.size();
        }
        return n;
    }

    /** Every bound session (for shutdown). */
    public List<LocalSession> all() {
        List<LocalSession> all = new ArrayList<>();
        sessions.values().forEach(r -> all.addAll(r.values()));
        return all;
    }
}
