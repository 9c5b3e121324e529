package im.parley.server.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** How many removed bindings are remembered ({@link #putIfUnknown}). */
    static final int REMOVED_REMEMBERED = 4096;

    private final Map<EntityBareJid, Map<Resourcepart, RemoteSession>> byAccount = new ConcurrentHashMap<>();
    /**
     * The bindings removed last, so that a session known from a stanza it sent, which may be read
     * after its route's removal (another thread), is not indexed again once it has ended.
     */
    private final Set<String> removedBindings = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMOVED_REMEMBERED;
                }
            }));

    /**
     * Indexes {@code session}, unless another node's session of the same full JID bound later is
     * indexed: two nodes may hold one full JID for a moment (RFC 6120 §7.7.2.2), until the one
     * with the earlier binding has closed its session; stanzas go to the later one meanwhile.
     */
    void put(RemoteSession session) {
        EntityFullJid jid = session.jid();
        SessionRoute route = session.route();
        // In the account's lock: a removal that empties the account's map never drops it meanwhile.
        byAccount.compute(jid.asEntityBareJid(), (account, resources) -> {
            Map<Resourcepart, RemoteSession> index = resources == null ? new ConcurrentHashMap<>() : resources;
            index.merge(jid.getResourcepart(), session, (current, candidate) ->
                    current.id().equals(candidate.id())
                            || route.boundAfter(current.route().boundAt(), current.route().node())
                            ? candidate : current);
            return index;
        });
    }

    /**
     * Indexes a session known from a stanza it sent ({@link ClusteredRouteTable#learnOrigin})
     * unless its full JID has an indexed session of the same binding or of a later one, or its
     * binding's route was removed already: what the route map says is never replaced by it.
     */
    void putIfUnknown(RemoteSession session) {
        EntityFullJid jid = session.jid();
        SessionRoute route = session.route();
        // In the account's lock, as a removal is: one that recorded the binding first is seen here.
        byAccount.compute(jid.asEntityBareJid(), (account, resources) -> {
            if (removedBindings.contains(session.id())) {
                return resources;
            }
            Map<Resourcepart, RemoteSession> index = resources == null ? new ConcurrentHashMap<>() : resources;
            // Atomic with put's merge: a route that arrives meanwhile is never replaced.
            index.compute(jid.getResourcepart(), (resource, current) -> current == null
                    || !current.id().equals(session.id())
                    && route.boundAfter(current.route().boundAt(), current.route().node()) ? session : current);
            return index;
        });
    }

    /** Removes the session bound under {@code jid} if it is that binding (any binding when null); returns it. */
    RemoteSession remove(EntityFullJid jid, String binding) {
        if (binding != null) {
            removedBindings.add(binding);
        }
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
