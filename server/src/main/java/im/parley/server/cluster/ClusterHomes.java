package im.parley.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.server.session.StateHomes;
import im.parley.server.storage.StoredXml;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The homes of entities with live state (group chat rooms) on a cluster: a Hazelcast map from
 * the entity's JID to the node that holds it, which the first node to need the entity claims
 * ({@code putIfAbsent}, so two nodes never both do). A node that joins takes no entity over; an
 * entity whose home left the cluster is claimed by the next node to need it (its live state, such
 * as a room's occupants, went with its node; what is stored, such as a persistent room, is loaded
 * again). Each node keeps the map's entries it has seen from the map's events, so that a stanza
 * for a known entity is handed on without asking the cluster. The map's calls run on one thread
 * of their own, never an event loop, in the order asked: a release and the claim that follows it
 * never swap (swapped, the release would remove the new claim while the room is in memory here).
 */
final class ClusterHomes implements StateHomes {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterHomes.class);
    static final String HOMES = "parley.homes";
    static final String TOPIC = "parley.route.";
    private static final int CLAIM_ATTEMPTS = 5;

    /** A stanza a node of the earlier version hands the home of its addressee, to be routed there. */
    record RoutedStanza(String from, String to, String xml) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final ClusterNode node;
    private final StanzaForwarder forwarder;
    private final String localId;
    private final IMap<String, String> homes;
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cluster-homes");
        thread.setDaemon(true);
        return thread;
    });

    ClusterHomes(ClusterNode node, StanzaForwarder forwarder) {
        this.node = node;
        this.forwarder = forwarder;
        this.localId = node.localId();
        this.homes = node.map(HOMES);
        homes.addEntryListener(new Entries(), true);
    }

    /**
     * Takes the stanzas that nodes of the earlier version, which hand them on unconfirmed, hand
     * this one as their addressee's home, and routes them (a rolling upgrade). The nodes of this
     * version hand them on through the {@link StanzaForwarder}.
     */
    void start(StanzaRouter router) {
        node.<RoutedStanza>topic(TOPIC + localId).addMessageListener(message -> {
            RoutedStanza routed = message.getMessageObject();
            try {
                Element stanza = StoredXml.read(routed.xml());
                router.route(new Stanza(stanza, StanzaForwarder.jidOrNull(routed.from()),
                        StanzaForwarder.jidOrNull(routed.to())));
            } catch (DocumentException e) {
                LOG.warn("an unreadable stanza from another node: {}", routed.xml(), e);
            }
        });
    }

    @Override
    public CompletionStage<Optional<String>> elsewhere(EntityBareJid entity) {
        String key = entity.toString();
        String home = known.get(key);
        if (home != null && node.isMember(home)) {
            return CompletableFuture.completedFuture(home.equals(localId) ? Optional.empty() : Optional.of(home));
        }
        return CompletableFuture.supplyAsync(() -> claim(key), calls);
    }

    /** The entity's home now: an existing one on a live node, or this node. */
    private Optional<String> claim(String key) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            String current = homes.putIfAbsent(key, localId);
            if (current == null || current.equals(localId)) {
                known.put(key, localId);
                return Optional.empty();
            }
            if (node.isMember(current)) {
                known.put(key, current);
                return Optional.of(current);
            }
            // Its home left the cluster: take it over, unless another node just did.
            if (homes.replace(key, current, localId)) {
                LOG.info("{} had its home on node {}, which left: it is served here now", key, current);
                known.put(key, localId);
                return Optional.empty();
            }
        }
        throw new IllegalStateException("the home of " + key + " keeps changing");
    }

    /**
     * Through the {@link StanzaForwarder}: the home confirms the stanza once its routing there
     * finished (the room's turn handled it), or the stage completes with false when the home
     * left the cluster or did not confirm within {@code cluster.forward_timeout}.
     */
    @Override
    public CompletionStage<Boolean> routeOn(String home, Stanza stanza) {
        return forwarder.handOn(home, stanza);
    }

    @Override
    public void release(EntityBareJid entity) {
        String key = entity.toString();
        if (known.remove(key, localId)) {
            calls.execute(() -> homes.remove(key, localId));
        }
    }

    /**
     * Forgets the homes known from the map's events, after this node merged back into the
     * cluster it was split from: the next stanza for an entity asks the map, where the cluster's
     * claim won the merge, so that an entity claimed elsewhere meanwhile is served there only.
     */
    void forgetKnown() {
        known.clear();
    }

    void close() {
        calls.shutdownNow();
    }

    /** Keeps {@link #known} from the map's events; runs on Hazelcast's event threads. */
    private final class Entries implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, EntryEvictedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            known.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            known.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            known.remove(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event) {
            known.remove(event.getKey());
        }
    }
}
