package im.parley.server.cluster;

import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * What a batch does with one key: write the route of the binding {@code putBinding} as
     * {@code put} gives it when the batch runs (null, or a null route: nothing to write), else
     * remove the entry if it still holds one of {@code removals}. A removal never displaces the
     * write of another binding (a session that replaced the removed one under the same full JID,
     * RFC 6120 §7.7.2.2), and a write keeps the removals due before it, done if it has nothing to
     * write after all.
     */
    private record Write(String putBinding, Supplier<SessionRoute> put, Set<String> removals) {

        Write withPut(String binding, Supplier<SessionRoute> route) {
            return new Write(binding, route, removals);
        }

        Write withRemoval(String binding) {
            Set<String> more = new HashSet<>(removals);
            more.add(binding);
            boolean keepPut = put != null && !putBinding.equals(binding);
            return new Write(keepPut ? putBinding : null, keepPut ? put : null, Set.copyOf(more));
        }
    }

    private static final Write NOTHING = new Write(null, null, Set.of());

    /** Removals in flight at once; ReplicatedMap has no batch removal. */
    private static final int REMOVERS = 8;

    private final ClusterNode node;
    private final ReplicatedMap<RouteKey, SessionRoute> shared;
    private final Map<RouteKey, Write> due = new ConcurrentHashMap<>();
    private final AtomicBoolean batchQueued = new AtomicBoolean();
    private final ExecutorService removers = Executors.newFixedThreadPool(REMOVERS, runnable -> {
        Thread thread = new Thread(runnable, "parley-cluster-route-removals");
        thread.setDaemon(true);
        return thread;
    });

    RouteWrites(ClusterNode node, ReplicatedMap<RouteKey, SessionRoute> shared) {
        this.node = node;
        this.shared = shared;
    }

    /** Writes {@code key}'s route of {@code binding}, as {@code route} gives it when the batch runs (null: none). */
    void put(RouteKey key, String binding, Supplier<SessionRoute> route) {
        due.merge(key, NOTHING.withPut(binding, route), (before, now) -> before.withPut(binding, route));
        queueBatch();
    }

    /** Removes {@code key}'s entry if it is still the one of {@code binding}. */
    void remove(RouteKey key, String binding) {
        due.merge(key, NOTHING.withRemoval(binding), (before, now) -> before.withRemoval(binding));
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
        Map<RouteKey, SessionRoute> puts = new HashMap<>();
        Map<RouteKey, Set<String>> removals = new HashMap<>();
        for (RouteKey key : List.copyOf(due.keySet())) {
            Write write = due.remove(key);
            SessionRoute route = write == null || write.put() == null ? null : write.put().get();
            if (route != null) {
                puts.put(key, route);
            } else if (write != null && !write.removals().isEmpty()) {
                removals.put(key, write.removals());
            }
        }
        if (!puts.isEmpty()) {
            shared.putAll(puts);
        }
        List<CompletableFuture<Void>> removing = new ArrayList<>(removals.size());
        removals.forEach((key, bindings) -> removing.add(CompletableFuture.runAsync(() -> {
            SessionRoute route = shared.get(key);
            if (route != null && bindings.contains(route.binding())) {
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
