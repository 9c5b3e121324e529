package im.parley.server.modules.blocking;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.BlockListStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block lists held in memory so the stanza hot path never waits for the database. A missing list
 * is loaded on the blocking executor; whoever needs it meanwhile waits in arrival order. Lists
 * are kept for accounts with sessions and for accounts that block someone, so stanzas sprayed at
 * random addresses cannot fill the cache.
 */
final class BlockLists {

    private static final Logger LOG = LoggerFactory.getLogger(BlockLists.class);
    /** The name of this cache among the nodes of a cluster ({@link im.parley.server.session.SharedCaches}). */
    static final String CACHE = "blocklist";

    private final BlockListStore store;
    private final Executor blocking;
    private final RouteTable sessions;
    private final Map<EntityBareJid, BlockList> lists = new ConcurrentHashMap<>();
    /** Actions waiting for a list being loaded, in arrival order; guarded by itself. */
    private final Map<EntityBareJid, List<Consumer<BlockList>>> waiting = new HashMap<>();
    /** Counts the changes other nodes announced: a list read before one is not kept. */
    private final AtomicLong invalidations = new AtomicLong();
    /** Serialises changes of one account's list with their re-read (striped, never per JID). */
    private final Object[] changeLocks = new Object[64];

    BlockLists(BlockListStore store, Executor blocking, RouteTable sessions) {
        this.store = store;
        this.blocking = blocking;
        this.sessions = sessions;
        for (int i = 0; i < changeLocks.length; i++) {
            changeLocks[i] = new Object();
        }
        // On a cluster a stanza is filtered on the node that routes it (its sender's): a list
        // changed through another node must not stay cached here (XEP-0191 §3.5).
        sessions.caches().onChange(CACHE, owner -> {
            try {
                invalidations.incrementAndGet();
                lists.remove(Jids.parseEntityBare(owner));
            } catch (JidMalformedException e) {
                LOG.warn("another node changed the block list of an invalid JID: {}", owner);
            }
        });
    }

    /** The list if it is in memory; never blocks. */
    Optional<BlockList> cached(EntityBareJid owner) {
        return Optional.ofNullable(lists.get(owner));
    }

    /**
     * Runs {@code action} with the account's list: at once if it is in memory, otherwise once it
     * is loaded, after every action that asked before (stanza order is kept).
     */
    void whenLoaded(EntityBareJid owner, Consumer<BlockList> action) {
        boolean load = false;
        BlockList ready;
        synchronized (waiting) {
            ready = lists.get(owner);
            if (ready == null) {
                List<Consumer<BlockList>> queue = waiting.get(owner);
                if (queue == null) {
                    queue = new ArrayList<>();
                    waiting.put(owner, queue);
                    load = true;
                }
                queue.add(action);
            }
        }
        if (ready != null) {
            action.accept(ready);
        } else if (load) {
            long seen = invalidations.get();
            try {
                blocking.execute(() -> loaded(owner, read(owner), seen));
            } catch (RejectedExecutionException e) {
                // The pool is full or stopping: as when storage is down, the waiting stanzas go on
                // unfiltered and the next one retries; left waiting, the account's stanzas would
                // wait behind a load that never runs.
                LOG.error("cannot load the block list of {}: the blocking pool refused the task", owner, e);
                loaded(owner, null, seen);
            }
        }
    }

    /** Completes with the account's list: at once if it is in memory, otherwise once it is loaded. */
    CompletableFuture<BlockList> load(EntityBareJid owner) {
        CompletableFuture<BlockList> list = new CompletableFuture<>();
        whenLoaded(owner, list::complete);
        return list;
    }

    /** The account's current list, from memory or storage. Blocking. */
    BlockList current(EntityBareJid owner) {
        BlockList list = lists.get(owner);
        return list != null ? list : new BlockList(store.load(owner));
    }

    /** Applies a change to the stored list and keeps the re-read list in memory. Blocking. */
    BlockList change(EntityBareJid owner, Consumer<BlockListStore> change) {
        synchronized (changeLocks[Math.floorMod(owner.hashCode(), changeLocks.length)]) {
            change.accept(store);
            BlockList fresh = new BlockList(store.load(owner));
            lists.put(owner, fresh);
            sessions.caches().changed(CACHE, owner.toString());
            return fresh;
        }
    }

    /** Forgets the list of an account whose last session ended. */
    void evict(EntityBareJid owner) {
        lists.remove(owner);
    }

    private BlockList read(EntityBareJid owner) {
        try {
            return new BlockList(store.load(owner));
        } catch (RuntimeException e) {
            // Storage is down: stanzas flow unfiltered rather than not at all; the next stanza retries.
            LOG.error("cannot load the block list of {}", owner, e);
            return null;
        }
    }

    private void loaded(EntityBareJid owner, BlockList list, long invalidationsSeen) {
        BlockList effective = list == null ? BlockList.EMPTY : list;
        while (true) {
            List<Consumer<BlockList>> batch;
            synchronized (waiting) {
                batch = waiting.get(owner);
                if (batch.isEmpty()) {
                    waiting.remove(owner);
                    if (list != null && invalidations.get() == invalidationsSeen
                            && (!list.isEmpty() || !sessions.sessionsOf(owner).isEmpty())) {
                        // A change made here during the load already put a fresher list: keep that
                        // one; a change on another node during it: keep none.
                        lists.putIfAbsent(owner, list);
                    }
                    return;
                }
                waiting.put(owner, new ArrayList<>());
            }
            for (Consumer<BlockList> action : batch) {
                try {
                    action.accept(effective);
                } catch (RuntimeException e) {
                    LOG.error("action on the block list of {} failed", owner, e);
                }
            }
        }
    }
}
