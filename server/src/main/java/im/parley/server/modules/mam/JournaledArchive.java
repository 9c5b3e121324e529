package im.parley.server.modules.mam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.LongConsumer;
import org.jxmpp.jid.DomainBareJid;

/**
 * A domain's archive written through its journal ({@code mam.journal}): the {@link ArchiveWriter}
 * appends each batch to the {@link ArchiveJournal} (so a message counts as handled once its
 * record is written there), and the {@link ArchiveIndexer} moves the records into
 * {@link ArchiveIndex} in large batches. Whether an account exists is known only when its
 * records are indexed: those of no account are dropped then, so every append answers true.
 */
final class JournaledArchive implements ArchiveWriter.BatchStore, AutoCloseable {

    /** Segments roll over at about this size; one is deleted once indexed. */
    static final long SEGMENT_BYTES = 64L * 1024 * 1024;

    private final ArchiveJournal journal;
    private final ArchiveIndexer indexer;
    /** Told the bytes of each append. */
    private final LongConsumer appended;

    private JournaledArchive(ArchiveJournal journal, ArchiveIndexer indexer, LongConsumer appended) {
        this.journal = journal;
        this.indexer = indexer;
        this.appended = appended;
    }

    /**
     * Opens {@code domain}'s journal in {@code directory} and starts indexing it into
     * {@code store}, first what an earlier run left.
     *
     * @param appended told the bytes of each append (the index's intake: {@link BackgroundWritePace})
     */
    static JournaledArchive open(Path directory, DomainBareJid domain, ArchiveIndex store, boolean fsync,
                                 int batchSize, Duration delay, LongConsumer appended) {
        long indexed = store.indexedPosition(domain);
        ArchiveJournal journal;
        try {
            journal = ArchiveJournal.open(directory, indexed, fsync, SEGMENT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the archive journal " + directory, e);
        }
        ArchiveIndexer indexer = new ArchiveIndexer(journal, indexed,
                (batch, from, position) -> store.index(domain, batch, from, position), batchSize, delay,
                "parley-archive-indexer-" + domain);
        return new JournaledArchive(journal, indexer, appended);
    }

    @Override
    public List<Boolean> appendAll(List<ArchiveRecord> batch) {
        try {
            long before = journal.end();
            appended.accept(journal.append(batch) - before);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the archive journal", e);
        }
        indexer.written(batch.size());
        return Collections.nCopies(batch.size(), true);
    }

    /** Indexes what was journaled before this call, if not yet done. Blocking. */
    void catchUp() {
        indexer.catchUp();
    }

    /**
     * Indexes what is left. The journal stays open: a message still being routed while the server
     * stops is journaled all the same, and indexed at the next start.
     */
    @Override
    public void close() {
        indexer.close();
    }
}
