package im.parley.server.modules.presence;

import im.parley.core.routing.Stanza;
import im.parley.server.module.ModuleContext;
import im.parley.server.session.LocalSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The presence state of every local session, kept by the presence module instance and keyed
 * by session (sessions compare by identity, so a replaced resource never inherits state).
 */
final class ResourcePresences {

    private final Map<LocalSession, ResourcePresence> bySession = new ConcurrentHashMap<>();
    private final ModuleContext context;

    ResourcePresences(ModuleContext context) {
        this.context = context;
    }

    ResourcePresence of(LocalSession session) {
        return bySession.computeIfAbsent(session, s -> new ResourcePresence());
    }

    /**
     * The last available presence of a session, or null if it is not available; for a session on
     * another node of a cluster, the presence its node shared.
     */
    Element lastAvailable(LocalSession session) {
        ResourcePresence presence = bySession.get(session);
        return presence == null ? session.sharedPresence() : presence.lastAvailable();
    }

    /**
     * Forgets an ended session and returns its state: for a session whose cluster node died, the
     * presence and the directed presence recipients that node shared (it was available: its
     * contacts and those recipients must learn it no longer is, §4.5.2, §4.6.3); null if it was
     * never available.
     */
    ResourcePresence end(LocalSession session) {
        ResourcePresence state = bySession.remove(session);
        Element shared = session.sharedPresence();
        if (state == null && shared != null) {
            state = new ResourcePresence();
            state.available(shared);
            session.sharedDirectedPresence().forEach(state::directedAvailable);
        }
        return state;
    }

    /**
     * Sends the current presence of each of the owner's available resources to {@code to}
     * (§3.1.5 after an approval, §4.3.2 in answer to a probe).
     */
    void sendCurrentPresence(EntityBareJid owner, Jid to) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            Element presence = lastAvailable(session);
            if (presence != null) {
                context.send(new Stanza(PresenceStanzas.copy(presence, session.jid(), to), session.jid(), to));
            }
        }
    }

    /** Sends unavailable presence from each of the owner's available resources to {@code to} (§3.2.2, §3.3.3). */
    void sendUnavailable(EntityBareJid owner, Jid to) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (lastAvailable(session) != null) {
                context.send(new Stanza(PresenceStanzas.create(session.jid(), to, "unavailable"), session.jid(), to));
            }
        }
    }
}
