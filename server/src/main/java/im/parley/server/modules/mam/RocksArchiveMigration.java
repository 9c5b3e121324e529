package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.COUNT;
import static im.parley.server.modules.mam.ArchiveKeys.JOURNAL;
import static im.parley.server.modules.mam.ArchiveKeys.MIGRATED;
import static im.parley.server.modules.mam.ArchiveKeys.VERSION;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.longBytes;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;

import im.parley.server.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What an older installation left becomes a {@link RocksArchiveIndex}'s: the count keys of the
 * layout before checkpoints, and the rows of {@code mam_messages} (the archive before this index,
 * or an import). Runs when the index opens, never on the per-message path, so it stays out of the
 * writes' class; the rows it moves go through {@link RocksArchiveWrites}, as the indexer's do,
 * archived once by their stanza id (XEP-0359) however often a start is interrupted.
 */
final class RocksArchiveMigration {

    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final DomainBareJid domain;
    private final RocksArchiveReads reads;
    private final ArchiveCounts counts;
    private final RocksArchiveWrites writes;

    RocksArchiveMigration(RocksDB db, WriteOptions writeOptions, DomainBareJid domain, RocksArchiveReads reads,
                          ArchiveCounts counts, RocksArchiveWrites writes) {
        this.db = db;
        this.writeOptions = writeOptions;
        this.domain = domain;
        this.reads = reads;
        this.counts = counts;
        this.writes = writes;
    }

    /**
     * Layout 2: the counts come from checkpoints ({@link ArchiveCounts}); the count keys of
     * earlier versions ({@code n}, a merge operand per copy) go. True if the index was of an
     * earlier layout (or new): its checkpoints are then made from its keys.
     */
    static boolean toCheckpointedCounts(RocksDB db, WriteOptions writeOptions) throws RocksDBException {
        if (db.get(VERSION) != null) {
            return false;
        }
        try (WriteBatch write = new WriteBatch()) {
            write.deleteRange(new byte[] {COUNT}, new byte[] {COUNT + 1});
            write.put(VERSION, longBytes(2));
            db.write(writeOptions, write);
        }
        return true;
    }

    /**
     * Moves the rows of {@code mam_messages} (an installation from before this index, or an
     * import) into the index, {@value RocksArchiveIndex#MIGRATION_BATCH} at a time, each write
     * with the last row's seq, then empties the table: a start interrupted goes on from there, and
     * a row moved twice is archived once (by its id). The journal position the table's indexing
     * reached ({@code mam_journal}) becomes the index's. Returns how many rows were read.
     */
    long migrate(JdbcArchiveStore table) {
        byte[] journal = key(JOURNAL, utf8(domain.toString()));
        long indexedInTable = table.indexedPosition(domain);
        if (reads.read(journal) == null && indexedInTable > 0) {
            // The journal's position as the table's indexing left it: what is before it is in the table.
            try {
                db.put(writeOptions, journal, longBytes(indexedInTable));
            } catch (RocksDBException e) {
                throw new StorageException("cannot record the archive journal position of " + domain, e);
            }
        }
        long moved = 0;
        long after = reads.readLong(MIGRATED);
        while (true) {
            List<JdbcArchiveStore.Row> rows = table.rowsAfter(after, RocksArchiveIndex.MIGRATION_BATCH);
            if (rows.isEmpty()) {
                break;
            }
            after = rows.get(rows.size() - 1).seq();
            List<ArchiveRecord> records = new ArrayList<>(rows.size());
            for (JdbcArchiveStore.Row row : rows) {
                if (row.record() != null) {
                    records.add(row.record());
                }
            }
            writes.write(records.stream().map(JournalRecord::of).toList(), true, MIGRATED, longBytes(after));
            moved += rows.size();
        }
        if (moved > 0 || after > 0) {
            table.deleteUpTo(after);
        }
        if (moved > 0) {
            // Rows with old stamps, counted now rather than by the first queries' walks.
            counts.checkpointAll(writeOptions);
        }
        return moved;
    }
}
