package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveIndexer}: journal records reach the store in batches, each with the position it
 * reaches; a catch-up indexes everything journaled before it (so a query sees every acknowledged
 * message, XEP-0198 §4); a restart goes on from the stored position, nothing twice, nothing
 * skipped; indexed segments go.
 */
class ArchiveIndexerTest {

    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    /** What the store was given: each batch's ids, and the position stored with it. */
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> positions = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private void store(List<JournalRecord> batch, long from, long position) {
        batches.add(batch.stream().map(record -> record.record().message().id()).toList());
        positions.add(position);
    }

    private ArchiveJournal journal(long indexed, long segmentBytes) throws IOException {
        ArchiveJournal journal = ArchiveJournal.open(dir, indexed, false, segmentBytes);
        open.add(journal);
        return journal;
    }

    private ArchiveIndexer indexer(ArchiveJournal journal, long indexed, ArchiveIndexer.Store store, int batchSize,
                                   Duration delay) {
        ArchiveIndexer indexer = new ArchiveIndexer(journal, indexed, store, batchSize, delay, "test-indexer");
        open.add(0, indexer);
        return indexer;
    }

    private static List<ArchiveRecord> records(String prefix, int count) {
        List<ArchiveRecord> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try {
                records.add(new ArchiveRecord(Jids.parseEntityBare("juliet@parley.test"), Jids.parse("romeo@parley.test"),
                        new ArchivedMessage(prefix + i, Instant.ofEpochMilli(i), "<message/>")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return records;
    }

    private static List<String> ids(String prefix, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    @Test
    void aCatchUpIndexesEverythingJournaledInBatchesEachWithThePositionItReaches() throws IOException {
        ArchiveJournal journal = journal(0, 1 << 20);
        ArchiveIndexer indexer = indexer(journal, 0, this::store, 5, NEVER);
        long end = journal.append(records("m", 12));

        indexer.catchUp();

        assertThat(batches).containsExactly(ids("m", 1, 5), ids("m", 6, 10), ids("m", 11, 12));
        List<ArchiveJournal.Entry> entries = journal.read(0, 100);
        assertThat(positions).containsExactly(entries.get(4).end(), entries.get(9).end(), end);
        assertThat(indexer.indexed()).isEqualTo(end);
        indexer.catchUp();
        assertThat(batches).as("nothing new, nothing indexed").hasSize(3);
    }

    @Test
    void aFullBatchIsIndexedAtOnceAndTheRestAtTheNextTick() throws IOException {
        ArchiveJournal journal = journal(0, 1 << 20);
        ArchiveIndexer full = indexer(journal, 0, this::store, 5, NEVER);
        journal.append(records("m", 3));
        full.written(3);
        assertThat(batches).as("fewer than a batch wait for the tick").isEmpty();
        journal.append(records("n", 2));
        full.written(2);

        await().atMost(Duration.ofSeconds(30)).until(() -> batches.size() == 1);
        assertThat(batches.get(0)).containsExactly("m1", "m2", "m3", "n1", "n2");
        full.close();

        batches.clear();
        long end = journal.append(records("t", 2));
        ArchiveIndexer ticking = indexer(journal, full.indexed(), this::store, 5, Duration.ofMillis(20));
        ticking.written(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> ticking.indexed() == end);
        assertThat(batches).containsExactly(List.of("t1", "t2"));
    }

    @Test
    void afterACrashIndexingGoesOnFromTheStoredPositionNothingTwiceNothingSkipped() throws IOException {
        ArchiveJournal journal = journal(0, 1 << 20);
        ArchiveIndexer indexer = indexer(journal, 0, this::store, 3, NEVER);
        journal.append(records("m", 3));
        indexer.catchUp();
        long stored = positions.get(positions.size() - 1);
        journal.append(records("n", 4));
        // The process dies here: the n records are journaled, not indexed. The next start opens
        // the journal again at the position the database holds.
        batches.clear();

        ArchiveJournal reopened = ArchiveJournal.open(dir, stored, false, 1 << 20);
        open.add(reopened);
        ArchiveIndexer restarted = indexer(reopened, stored, this::store, 3, NEVER);
        restarted.catchUp();

        assertThat(batches).containsExactly(ids("n", 1, 3), ids("n", 4, 4));
    }

    @Test
    void aBatchTheStoreRefusesIsTriedAgainWhole() throws IOException {
        AtomicBoolean refuse = new AtomicBoolean(true);
        ArchiveJournal journal = journal(0, 1 << 20);
        ArchiveIndexer indexer = indexer(journal, 0, (batch, from, position) -> {
            if (refuse.getAndSet(false)) {
                throw new IllegalStateException("database unavailable");
            }
            store(batch, from, position);
        }, 10, NEVER);
        journal.append(records("m", 2));

        assertThatThrownBy(indexer::catchUp).hasMessageContaining("database unavailable");
        assertThat(indexer.indexed()).isZero();
        indexer.catchUp();

        assertThat(batches).containsExactly(List.of("m1", "m2"));
    }

    @Test
    void indexedSegmentsAreDeleted() throws IOException {
        ArchiveJournal journal = journal(0, 1);
        ArchiveIndexer indexer = indexer(journal, 0, this::store, 100, NEVER);
        for (int i = 0; i < 5; i++) {
            journal.append(records("m" + i + "-", 2));
        }
        assertThat(journal.segmentFiles()).hasSize(6);

        indexer.catchUp();

        assertThat(journal.segmentFiles()).hasSize(1);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(10);
    }
}
