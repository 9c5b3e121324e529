package im.parley.server.cluster;

import com.hazelcast.topic.ITopic;
import im.parley.server.session.SharedCaches;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedCaches} on a cluster: one Hazelcast topic that every node listens to; a node
 * passes over what it announced itself. A change becomes visible on the other nodes once the
 * announcement reaches them (milliseconds on a healthy cluster): until then they go on with the
 * copy they had.
 */
final class ClusterCaches implements SharedCaches {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCaches.class);
    static final String TOPIC = "parley.caches";

    /** An entry of a cache changed on node {@code origin}. */
    record Change(String origin, String cache, String key) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final ClusterNode node;
    private final String localId;
    private final ITopic<Change> topic;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    ClusterCaches(ClusterNode node) {
        this.node = node;
        this.localId = node.localId();
        this.topic = node.topic(TOPIC);
        topic.addMessageListener(message -> received(message.getMessageObject()));
    }

    @Override
    public void changed(String cache, String key) {
        Change change = new Change(localId, cache, key);
        node.send(() -> topic.publish(change));
    }

    @Override
    public void onChange(String cache, Consumer<String> forget) {
        listeners.computeIfAbsent(cache, name -> new CopyOnWriteArrayList<>()).add(forget);
    }

    private void received(Change change) {
        if (localId.equals(change.origin())) {
            return;
        }
        for (Consumer<String> forget : listeners.getOrDefault(change.cache(), List.of())) {
            try {
                forget.accept(change.key());
            } catch (RuntimeException e) {
                LOG.warn("cannot forget {} of {} after a change on another node", change.key(), change.cache(), e);
            }
        }
    }
}
