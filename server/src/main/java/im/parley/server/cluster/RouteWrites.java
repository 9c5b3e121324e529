package im.parley.server.cluster;

import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * This node's writes to the shared route map, made in batches on the outbox thread
 * ({@link ClusterNode#send}): every write of the map waits for the member that owns the key, so
 * one write per change left the outbox, and every stanza forwarded behind it, seconds behind
 * during a login storm. Now a change only marks its route as due; one batch, queued on the outbox
 * when the first change is due, writes every route due by the time it runs ({@code putAll}: one
 * round trip per owner, in parallel) and removes the ended ones in parallel, and only then does
 * the outbox go on. So a route change still reaches the other nodes before the stanzas routed
 * after it (an answer to a session's first presence finds its route), and a key changed twice
 * before the batch runs is written once, as it is then.
 */
final class RouteWrites implements AutoCloseable {

    /** What a batch does with one key. */
    private sealed interface Write permits Put, Removal {
    }

    /** Writes the route as it is when the batch runs; null: nothing to write any more. */
    private record Put(Supplier<SessionRoute> route) implements Write {
    }

    /** Removes the entry if it still holds this binding (a later binding elsewhere stays). */
    private record Removal(String binding) implements Write {
    }

    /** Removals in flight at once; ReplicatedMap has no batch removal. */
    private static final int REMOVERS = 8;

    private final ClusterNode node;
    private final ReplicatedMap<String, SessionRoute> shared;
    private final Map<String, Write> due = new ConcurrentHashMap<>();
    private final AtomicBoolean batchQueued = new AtomicBoolean();
    private final ExecutorService removers = Executors.newFixedThreadPool(REMOVERS, runnable -> {
        Thread thread = new Thread(runnable, "parley-cluster-route-removals");
        thread.setDaemon(true);
        return thread;
    });

    RouteWrites(ClusterNode node, ReplicatedMap<String, SessionRoute> shared) {
        this.node = node;
        this.shared = shared;
    }

    /** Writes {@code key}'s route, as {@code route} gives it when the batch runs (null: none). */
    void put(String key, Supplier<SessionRoute> route) {
        due.put(key, new Put(route));
        queueBatch();
    }

    /** Removes {@code key}'s entry if it is still the one of {@code binding}. */
    void remove(String key, String binding) {
        due.put(key, new Removal(binding));
        queueBatch();
    }

    private void queueBatch() {
        if (batchQueued.compareAndSet(false, true)) {
            node.send(this::writeDue);
        }
    }

    /** On the outbox thread: writes what is due; a change made meanwhile queues the next batch. */
    private void writeDue() {
        batchQueued.set(false);
        Map<String, SessionRoute> puts = new HashMap<>();
        Map<String, String> removals = new HashMap<>();
        for (String key : List.copyOf(due.keySet())) {
            Write write = due.remove(key);
            if (write instanceof Put put) {
                SessionRoute route = put.route().get();
                if (route != null) {
                    puts.put(key, route);
                }
            } else if (write instanceof Removal removal) {
                removals.put(key, removal.binding());
            }
        }
        if (!puts.isEmpty()) {
            shared.putAll(puts);
        }
        List<CompletableFuture<Void>> removing = new ArrayList<>(removals.size());
        removals.forEach((key, binding) -> removing.add(CompletableFuture.runAsync(() -> {
            SessionRoute route = shared.get(key);
            if (route != null && route.binding().equals(binding)) {
                shared.remove(key);
            }
        }, removers)));
        CompletableFuture.allOf(removing.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() {
        removers.shutdownNow();
    }
}
