package im.parley.server.modules.pep;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The available resources that sent presence to each local account (its own and its contacts',
 * local or remote) with the features their entity capabilities stand for, once known: the
 * "appropriate presence information" of XEP-0163 §4.3.2 that decides who gets notifications,
 * and for which nodes ({@code <node>+notify}, §4.2). Unavailable presence forgets a resource.
 */
final class InterestedResources {

    static final String NOTIFY = "+notify";

    /** A resource's capabilities: what its {@code <c/>} said, and its features once resolved (else null). */
    private record Resource(String nodeVer, Set<String> features) {
    }

    private final Map<EntityBareJid, Map<Jid, Resource>> byAccount = new ConcurrentHashMap<>();

    /**
     * Records available presence from {@code resource} to {@code account} with caps
     * {@code nodeVer}; true if the resource is newly available or announced new caps.
     */
    boolean available(EntityBareJid account, Jid resource, String nodeVer) {
        Map<Jid, Resource> resources = byAccount.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
        Resource before = resources.get(resource);
        if (before != null && before.nodeVer().equals(nodeVer)) {
            return false;
        }
        resources.put(resource, new Resource(nodeVer, null));
        return true;
    }

    /** The features of {@code resource} became known (if it still has those caps). */
    void resolved(EntityBareJid account, Jid resource, String nodeVer, Set<String> features) {
        Map<Jid, Resource> resources = byAccount.get(account);
        if (resources != null) {
            resources.computeIfPresent(resource, (r, known) -> known.nodeVer().equals(nodeVer)
                    ? new Resource(nodeVer, Set.copyOf(features)) : known);
        }
    }

    void unavailable(EntityBareJid account, Jid resource) {
        byAccount.computeIfPresent(account, (a, resources) -> {
            resources.remove(resource);
            return resources.isEmpty() ? null : resources;
        });
    }

    /** The resources present at {@code account} that want notifications of {@code node}. */
    Set<Jid> interestedIn(EntityBareJid account, String node) {
        Map<Jid, Resource> resources = byAccount.getOrDefault(account, Map.of());
        Map<Jid, Resource> copy = new HashMap<>(resources);
        copy.values().removeIf(r -> r.features() == null || !r.features().contains(node + NOTIFY));
        return Set.copyOf(copy.keySet());
    }

    /** True if {@code features} ask for notifications of {@code node} (XEP-0163 §4.2). */
    static boolean wants(Set<String> features, String node) {
        return features.contains(node + NOTIFY);
    }
}
