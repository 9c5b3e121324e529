package im.parley.server.modules.pep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Features by entity capabilities node#ver (XEP-0115 §4), for verified hashes only: a ver is
 * cached once the disco#info answer hashed to it (§5.4), so one client cannot tell the server
 * what another client's ver means. Bounded: the least recently used go first.
 */
final class CapsCache {

    private final Map<String, Set<String>> features;

    CapsCache(int capacity) {
        this.features = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Set<String> get(String nodeVer) {
        return features.get(nodeVer);
    }

    synchronized void put(String nodeVer, Set<String> discoFeatures) {
        features.put(nodeVer, Set.copyOf(discoFeatures));
    }
}
