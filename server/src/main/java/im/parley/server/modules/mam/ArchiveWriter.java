package im.parley.server.modules.mam;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for an archive store: appends queue up, and one drain at a time writes whatever
 * is waiting, at most {@code batchSize} messages, at once: one transaction, or one write of the
 * archive journal ({@link JournaledArchive}). While one batch is written the next fills up, so
 * under load the cost of a write is shared by all the messages that arrived meanwhile
 * (docs/benchmarks.md, "Group commit of the archive").
 *
 * <p>An append's future completes only after its batch was written, so a message counts as
 * handled (XEP-0198 §4) only once it is in the database or the journal; a failed batch fails its
 * own appends and no others. Appends are written in the order they were queued, so one account's messages keep
 * their order in its archive (RFC 6120 §10.1). Never blocks the caller: the drain runs on
 * {@code executor} (the blocking executor). A batch's appends complete on the drain's thread
 * right after its write, and the work that follows them (a sender's acknowledgement; with
 * preferences that needed a roster read, the message's delivery and the account's next stanza)
 * runs there before the next batch: what arrives meanwhile joins that batch. A completion task
 * per batch on another thread of the pool cost a hand-off and a wake-up per batch, a large part
 * of the pool's CPU at a few thousand batches a second (docs/benchmarks.md, "Fewer hand-offs and
 * compactions").
 */
final class ArchiveWriter {

    /**
     * One message for one archive; {@code done} completes with whether the account exists. A
     * null record is a marker of {@link #flushed()}: it writes nothing and completes after the
     * appends queued before it.
     */
    private record Append(ArchiveRecord record, CompletableFuture<Boolean> done) {

        boolean isMarker() {
            return record == null;
        }
    }

    /**
     * Writes a batch at once (one transaction, one journal write): for each record, true if
     * archived, false if its account does not exist.
     */
    @FunctionalInterface
    interface BatchStore {
        List<Boolean> appendAll(List<ArchiveRecord> batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);

    private final BatchStore store;
    private final Executor executor;
    private final int batchSize;
    /**
     * The most writes one drain makes before it hands its thread on: the drain goes on as a new
     * task behind the executor's others, so that a writer that always has appends waiting does
     * not keep a thread of a shared pool for good.
     */
    static final int WRITES_PER_RUN = 64;

    private final long lingerNanos;
    private final Queue<Append> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** A writer whose drain writes what waits, and ends as soon as nothing does. */
    ArchiveWriter(BatchStore store, Executor executor, int batchSize) {
        this(store, executor, batchSize, Duration.ZERO);
    }

    /**
     * @param linger how long the drain waits after each write for more appends before it looks
     *     at the queue again (and ends if it is empty): appends meanwhile find it running, wake no
     *     thread, and go out in its next write together; zero for none
     */
    ArchiveWriter(BatchStore store, Executor executor, int batchSize, Duration linger) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, got " + linger);
        }
        this.store = store;
        this.executor = executor;
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
    }

    /**
     * Queues {@code message} for {@code owner}'s archive. Completes, after the commit, with true,
     * or false if the account does not exist; exceptionally if its batch could not be written.
     */
    CompletableFuture<Boolean> append(EntityBareJid owner, ArchivedMessage message, Jid with) {
        Append append = new Append(new ArchiveRecord(owner, with, message), new CompletableFuture<>());
        queue.add(append);
        startDrain();
        return append.done();
    }

    /**
     * Completes once every append queued before this call has been written or has failed: a
     * reader that must see every message archived so far (a query of the archive, XEP-0313 §4)
     * waits for it, as the messages themselves are delivered before their write ({@link
     * MamModule}). Never blocks; at once if nothing is queued or being written.
     */
    CompletableFuture<Void> flushed() {
        // The queue first: an append polled from it is written by the drain that polled it,
        // which clears the flag only after the write.
        if (queue.isEmpty() && !draining.get()) {
            return CompletableFuture.completedFuture(null);
        }
        Append marker = new Append(null, new CompletableFuture<>());
        queue.add(marker);
        startDrain();
        return marker.done().thenApply(ignored -> null);
    }

    private void startDrain() {
        if (draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    /** Runs a drain on the executor; {@link #draining} is set. */
    private void submitDrain() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining.set(false);
            failQueued(e);
        }
    }

    /**
     * Writes batches until the queue is empty; only one drain runs at a time, so batches keep
     * queue order. With a linger, it waits that long after each write before it looks again:
     * without one, under load most batches held a few messages, and each cost a write system
     * call and a wake-up of a blocking thread by the event loop that appended (docs/benchmarks.md,
     * "Archived without holding the turn"). After {@link #WRITES_PER_RUN} writes it goes on as a
     * new task of the executor, still the one drain.
     */
    private void drain() {
        boolean handedOn = false;
        try {
            int written = 0;
            for (List<Append> batch = nextBatch(); !batch.isEmpty(); batch = nextBatch()) {
                write(batch);
                if (++written == WRITES_PER_RUN) {
                    handedOn = true;
                    submitDrain();
                    return;
                }
                if (lingerNanos > 0) {
                    LockSupport.parkNanos(lingerNanos);
                }
            }
        } finally {
            if (!handedOn) {
                draining.set(false);
            }
        }
        // An append queued after the last poll but before the flag was cleared found a drain
        // running and did not start one.
        if (!queue.isEmpty()) {
            startDrain();
        }
    }

    private List<Append> nextBatch() {
        List<Append> batch = new ArrayList<>(Math.min(batchSize, 64));
        for (Append next; batch.size() < batchSize && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        return batch;
    }

    private void write(List<Append> batch) {
        List<ArchiveRecord> records = new ArrayList<>(batch.size());
        for (Append append : batch) {
            if (!append.isMarker()) {
                records.add(append.record());
            }
        }
        List<Boolean> archived;
        try {
            archived = records.isEmpty() ? List.of() : store.appendAll(records);
            if (archived.size() != records.size()) {
                throw new IllegalStateException("the store answered " + archived.size() + " of " + records.size() + " appends");
            }
        } catch (RuntimeException | Error e) {
            // An Error too: the batch's appends must fail, not wait for ever.
            LOG.warn("cannot archive a batch of {} messages", records.size(), e);
            batch.forEach(append -> {
                if (append.isMarker()) {
                    append.done().complete(false);
                } else {
                    append.done().completeExceptionally(e);
                }
            });
            return;
        }
        int next = 0;
        for (Append append : batch) {
            append.done().complete(append.isMarker() ? Boolean.FALSE : archived.get(next++));
        }
    }

    private void failQueued(RuntimeException cause) {
        for (Append append; (append = queue.poll()) != null; ) {
            if (append.isMarker()) {
                append.done().complete(false);
            } else {
                append.done().completeExceptionally(cause);
            }
        }
    }
}
