package im.parley.server.modules.serviceadmin;

import im.parley.core.routing.Stanza;
import im.parley.server.c2s.C2sSession;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.csi.ClientStateBuffer;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Which online users of a domain are active and which are idle (XEP-0133 §4.16, §4.17, §4.21,
 * §4.22), so that online = active + idle (the XEP's revision 1.1). A user is active when at
 * least one of its sessions is; idle otherwise, online all the same. A session is active when
 * its client says its user is there:
 * <ul>
 * <li>it is available: it sent available presence (RFC 6121 §4.2), and not unavailable since;</li>
 * <li>that presence has no {@code <show/>} of {@code away} or {@code xa} (§4.7.2.1: away
 * "temporarily", "for an extended period"), which clients set when their user goes idle;</li>
 * <li>its client has not told the server it is inactive (XEP-0352 §4);</li>
 * <li>its connection is up: it does not hibernate waiting to be resumed (XEP-0198 §5).</li>
 * </ul>
 * A session of another node of a cluster counts by the presence that node shared (its client
 * state and connection are known there only). The server measures no idle time of its own: a
 * user reading without writing is still there, and the clients know better.
 */
final class OnlineActivity {

    /** {@code <show/>} values of a user who is away (RFC 6121 §4.7.2.1). */
    private static final Set<String> AWAY = Set.of("away", "xa");

    private final RouteTable sessions;
    /** The sessions of this node whose last broadcast available presence said away or xa. */
    private final Set<LocalSession> away = ConcurrentHashMap.newKeySet();

    /** The users of a domain online now, active or idle, each sorted. */
    record Users(List<EntityBareJid> active, List<EntityBareJid> idle) {
    }

    OnlineActivity(RouteTable sessions) {
        this.sessions = sessions;
    }

    /** Follows the show of each session's broadcast presence, as the client sends it, until the session ends. */
    void watch(ModuleContext context) {
        context.hook(StanzaEvents.pre("presence", Shape.BARE), EventPriority.OBSERVE, event -> {
            ownPresence(event.stanza(), event.origin());
            return Verdict.PASS;
        });
        context.hook(SessionEvents.CLOSED, EventPriority.OBSERVE, session -> {
            away.remove(session);
            return Verdict.PASS;
        });
    }

    Users of(DomainBareJid domain) {
        Map<EntityBareJid, Boolean> users = new TreeMap<>(Comparator.comparing(EntityBareJid::toString));
        for (LocalSession session : sessions.everywhere()) {
            if (session.jid().asDomainBareJid().equals(domain)) {
                users.merge(session.jid().asEntityBareJid(), isActive(session), Boolean::logicalOr);
            }
        }
        List<EntityBareJid> active = new ArrayList<>();
        List<EntityBareJid> idle = new ArrayList<>();
        users.forEach((user, isActive) -> (isActive ? active : idle).add(user));
        return new Users(active, idle);
    }

    private boolean isActive(LocalSession session) {
        if (!session.isAvailable()) {
            return false;
        }
        if (session instanceof C2sSession client) {
            return client.isConnected() && !away.contains(session)
                    && client.interceptor(ClientStateBuffer.class).map(csi -> !csi.isInactive()).orElse(true);
        }
        Element shared = session.sharedPresence();
        return shared == null || !isAway(shared);
    }

    private static boolean isAway(Element presence) {
        String show = presence.elementTextTrim("show");
        return show != null && AWAY.contains(show);
    }

    /** The client's own broadcast presence (no {@code to}, RFC 6121 §4.2, §4.4, §4.5). */
    private void ownPresence(Stanza stanza, LocalSession origin) {
        if (!stanza.isPresence() || stanza.to() != null || origin == null) {
            return;
        }
        String type = stanza.type();
        if (type == null && isAway(stanza.element())) {
            away.add(origin);
        } else if (type == null || "unavailable".equals(type)) {
            away.remove(origin);
        }
    }
}
