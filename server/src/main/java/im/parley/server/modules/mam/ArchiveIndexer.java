package im.parley.server.modules.mam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the records of an {@link ArchiveJournal} into the database, at most {@code batchSize} per
 * transaction, together with the journal position they reach ({@link Store#index}: both or
 * neither), and deletes the segments it has passed. After a crash it goes on from the position
 * the database holds, so nothing is indexed twice or skipped.
 *
 * <p>It runs on a thread of its own: a full batch as soon as one is waiting, the rest every
 * {@code delay}, so that under load one commit (on the embedded database: one write of every page
 * the commit changed) serves thousands of rows instead of one. Whoever needs the archive exact
 * (a query, the purge, an account's deletion) first calls {@link #catchUp}, on a blocking thread,
 * which indexes up to the end of the journal as it is then: every acknowledged message is in the
 * journal (XEP-0198 §4), so every one is in the answer.
 */
final class ArchiveIndexer implements AutoCloseable {

    /**
     * Archives a batch read from the journal, from position {@code from}, and records the
     * position after it, in one transaction.
     */
    @FunctionalInterface
    interface Store {
        void index(List<JournalRecord> batch, long from, long position);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveIndexer.class);

    private final ArchiveJournal journal;
    private final Store store;
    private final int batchSize;
    private final ReentrantLock lock = new ReentrantLock();
    /** Records written since the last background run looked; approximate, only to start a run early. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService thread;
    private volatile long indexed;
    private boolean failing;

    /**
     * @param indexed the position the database has indexed up to
     * @param name names the indexer's thread
     */
    ArchiveIndexer(ArchiveJournal journal, long indexed, Store store, int batchSize, Duration delay, String name) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.journal = journal;
        this.store = store;
        this.batchSize = batchSize;
        if (indexed < journal.start()) {
            LOG.warn("archive journal: the database has indexed up to {} but the journal starts at {}: the messages "
                    + "in between are lost", indexed, journal.start());
        }
        this.indexed = Math.max(indexed, journal.start());
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, delay.toMillis());
        thread.scheduleWithFixedDelay(this::indexAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** The journal position indexed so far. */
    long indexed() {
        return indexed;
    }

    /**
     * Tells the indexer that {@code records} more were written: once a batch is waiting, it
     * indexes at once rather than at its next tick.
     */
    void written(int records) {
        if (waiting.addAndGet(records) >= batchSize) {
            waiting.set(0);
            try {
                thread.execute(this::indexFullBatches);
            } catch (RejectedExecutionException e) {
                // Closed: what is left is indexed at the next start.
            }
        }
    }

    /**
     * Indexes everything written to the journal before this call, if the background thread has
     * not yet. Blocking: call on a blocking thread, never an event loop.
     *
     * @throws im.parley.server.storage.StorageException if the database refuses a batch
     */
    void catchUp() {
        long target = journal.end();
        if (indexed >= target) {
            return;
        }
        lock.lock();
        try {
            while (indexed < target) {
                indexBatch();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The background run: full batches only, so the tick's run finds many rows to share a commit. */
    private void indexFullBatches() {
        background(() -> {
            while (journal.end() > indexed && indexBatch() == batchSize) {
                // More may be waiting.
            }
        });
    }

    private void indexAll() {
        background(this::catchUp);
    }

    private void background(Runnable work) {
        if (!lock.tryLock()) {
            return; // a catch-up is at it
        }
        try {
            work.run();
            if (failing) {
                LOG.info("archive journal: indexing works again");
                failing = false;
            }
        } catch (RuntimeException | Error e) {
            // An Error too: thrown out of the scheduled task, it would end the indexing silently.
            if (!failing) {
                LOG.warn("archive journal: cannot index, retrying every tick", e);
                failing = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Indexes the next batch; returns its size. Holds the lock. */
    private int indexBatch() {
        List<ArchiveJournal.Entry> entries;
        try {
            entries = journal.read(indexed, batchSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive journal", e);
        }
        if (entries.isEmpty()) {
            return 0;
        }
        long position = entries.get(entries.size() - 1).end();
        store.index(entries.stream().map(ArchiveJournal.Entry::raw).toList(), indexed, position);
        indexed = position;
        journal.release(position);
        return entries.size();
    }

    /**
     * Stops the thread and indexes what is left (a clean stop leaves an empty journal). Never
     * interrupts a batch: an interrupt during a write closes H2's file channel, and the store
     * with it.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
            catchUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("archive journal: cannot index what is left; it will be at the next start", e);
        }
    }
}
