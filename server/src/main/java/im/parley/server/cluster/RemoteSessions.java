package im.parley.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * This node's index of the sessions bound on the other nodes, by account and resource, kept from
 * the shared route map's events: every lookup the router and the modules make is answered here,
 * without a call to another node.
 */
final class RemoteSessions {

    private final Map<EntityBareJid, Map<Resourcepart, RemoteSession>> byAccount = new ConcurrentHashMap<>();

    /**
     * Indexes {@code session}, unless another node's session of the same full JID bound later is
     * indexed: two nodes may hold one full JID for a moment (RFC 6120 §7.7.2.2), until the one
     * with the earlier binding has closed its session; stanzas go to the later one meanwhile.
     */
    void put(RemoteSession session) {
        EntityFullJid jid = session.jid();
        SessionRoute route = session.route();
        byAccount.computeIfAbsent(jid.asEntityBareJid(), k -> new ConcurrentHashMap<>())
                .merge(jid.getResourcepart(), session, (current, candidate) ->
                        current.id().equals(candidate.id())
                                || route.boundAfter(current.route().boundAt(), current.route().node())
                                ? candidate : current);
    }

    /** Removes the session bound under {@code jid} if it is that binding (any binding when null); returns it. */
    RemoteSession remove(EntityFullJid jid, String binding) {
        RemoteSession[] removed = new RemoteSession[1];
        byAccount.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            RemoteSession current = resources.get(jid.getResourcepart());
            if (current != null && (binding == null || current.id().equals(binding))) {
                resources.remove(jid.getResourcepart());
                removed[0] = current;
            }
            return resources.isEmpty() ? null : resources;
        });
        return removed[0];
    }

    /** Removes and returns every session of the node {@code nodeId}. */
    List<RemoteSession> removeNode(String nodeId) {
        List<RemoteSession> removed = new ArrayList<>();
        for (RemoteSession session : all()) {
            if (session.route().node().equals(nodeId) && remove(session.jid(), session.id()) != null) {
                removed.add(session);
            }
        }
        return removed;
    }

    RemoteSession find(EntityFullJid jid) {
        Map<Resourcepart, RemoteSession> resources = byAccount.get(jid.asEntityBareJid());
        return resources == null ? null : resources.get(jid.getResourcepart());
    }

    List<RemoteSession> of(EntityBareJid account) {
        Map<Resourcepart, RemoteSession> resources = byAccount.get(account);
        return resources == null ? List.of() : List.copyOf(resources.values());
    }

    List<RemoteSession> all() {
        List<RemoteSession> all = new ArrayList<>();
        byAccount.values().forEach(resources -> all.addAll(resources.values()));
        return all;
    }

    void clear() {
        byAccount.clear();
    }
}
