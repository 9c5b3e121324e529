package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.COUNT;
import static im.parley.server.modules.mam.ArchiveKeys.EMPTY;
import static im.parley.server.modules.mam.ArchiveKeys.EXPIRY;
import static im.parley.server.modules.mam.ArchiveKeys.ID;
import static im.parley.server.modules.mam.ArchiveKeys.JOURNAL;
import static im.parley.server.modules.mam.ArchiveKeys.MIGRATED;
import static im.parley.server.modules.mam.ArchiveKeys.POSITION;
import static im.parley.server.modules.mam.ArchiveKeys.ROW;
import static im.parley.server.modules.mam.ArchiveKeys.SEQUENCE;
import static im.parley.server.modules.mam.ArchiveKeys.TOTAL;
import static im.parley.server.modules.mam.ArchiveKeys.VERSION;
import static im.parley.server.modules.mam.ArchiveKeys.WITH;
import static im.parley.server.modules.mam.ArchiveKeys.domainPrefix;
import static im.parley.server.modules.mam.ArchiveKeys.fields;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.longBytes;
import static im.parley.server.modules.mam.ArchiveKeys.next;
import static im.parley.server.modules.mam.ArchiveKeys.owner;
import static im.parley.server.modules.mam.ArchiveKeys.position;
import static im.parley.server.modules.mam.ArchiveKeys.successor;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;
import static im.parley.server.modules.mam.ArchiveKeys.value;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.modules.mam.ArchiveKeys.Range;
import im.parley.server.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionOptionsUniversal;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain's account archives in a RocksDB (a log-structured merge tree) in
 * {@code data_dir/mam-archive/<domain>}, for the embedded storage: a batch of the indexer costs
 * ~10 us of CPU per row on its thread, 30-40 with RocksDB's flushes and compactions
 * (bench/rocks/IndexBench.java), where H2's four B-tree indexes cost ~300 (issue 13).
 *
 * <p>Keys, one byte naming the kind, then (an owner is its bare JID and a NUL; a position is the
 * stamp in epoch milliseconds and a sequence number, 8 bytes big-endian each, so that keys sort in
 * archive order):
 * <ul>
 * <li>{@code r} owner position: the message (id, full {@code with}, stanza);
 * <li>{@code w} owner bare-with NUL position: the conversation index (XEP-0313 §4.1.1);
 * <li>{@code i} owner id: the message's position (ids, RSM after/before, XEP-0359 lookups), for ids
 *     that are not positions themselves ({@link PositionIds}: the ids the server gives now; {@code x}
 *     holds their key, {@code o} the count of openings), i.e. those of earlier versions and imports;
 * <li>{@code e} domain NUL position owner: the retention purge's order, as earlier versions wrote it (id
 *     and bare {@code with} as value); no longer written (the purge walks each account's rows), and
 *     deleted by the purge and with their account;
 * <li>{@code k} followed by an {@code r} or {@code w} prefix: the count checkpoint of an archive or a
 *     conversation ({@link ArchiveCounts}: RSM {@code <count/>}, XEP-0059 §2.6); {@code t}: the newest stamp
 *     written; {@code c}: the count of all messages; {@code s}: the last sequence number;
 *     {@code j} domain: the journal position indexed; {@code m}: the last {@code mam_messages} row moved;
 *     {@code v}: the layout's version (2: counts from checkpoints; before it, {@code n} keys held
 *     the counts as merge operands, one per copy and conversation, and are deleted on opening).
 * </ul>
 * Queries read through {@link RocksArchiveReads}; writes are this class's.
 * Every write is one atomic {@link WriteBatch}, with the journal position when the indexer writes:
 * after a crash the index and the position agree. Writes go to RocksDB's write-ahead log without
 * fsync unless {@code mam.journal_fsync} is on: a write that returned is in the operating system's
 * cache, which a killed process (kill -9) does not lose; with journal_fsync the index is synced too,
 * since the indexer deletes journal segments it has indexed.
 *
 * <p>Small by default (issue 19): 4 MB write buffers, an 8 MB block cache, 64 open files, two
 * background jobs. The native library loads when the index opens, not before.
 */
final class RocksArchiveIndex implements ArchiveIndex, AutoCloseable {

    /** The directory under data_dir holding one index per hosted domain. */
    static final String DIRECTORY = "mam-archive";
    /** Rows moved from {@code mam_messages} per write ({@link #migrate}). */
    static final int MIGRATION_BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RocksArchiveIndex.class);

    private final DomainBareJid domain;
    private final Predicate<EntityBareJid> accountExists;
    /** Accounts known to exist: looked up once, forgotten when deleted. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final LRUCache cache;
    private final UInt64AddOperator add;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    /** Queries and the keys' values. */
    private final RocksArchiveReads reads;
    /** The archives' and conversations' counts. */
    private final ArchiveCounts counts;
    /** Guards writes: counts, totals. Reads need no lock. */
    private final Object writeLock = new Object();
    /** Closing waits for the calls in progress ({@link #whileOpen}). */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Path directory;
    private boolean closed;
    /** Stanza ids that are positions, and the sequence numbers of positions. */
    private final PositionIds ids;
    private long total;

    private RocksArchiveIndex(Path directory, DomainBareJid domain, Predicate<EntityBareJid> accountExists, LRUCache cache,
                              UInt64AddOperator add, Options options, WriteOptions writeOptions, RocksDB db,
                              ArchiveCounts.Limits countLimits, PositionIds ids) {
        this.directory = directory;
        this.domain = domain;
        this.accountExists = accountExists;
        this.cache = cache;
        this.add = add;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
        this.counts = ArchiveCounts.open(db, writeLock, countLimits);
        this.ids = ids;
        this.reads = new RocksArchiveReads(db, domain, counts, ids);
        this.total = reads.readLong(TOTAL);
    }

    /**
     * Whether RocksDB's native library loads on this platform (the build's {@code rocksdbjni} jar
     * has the libraries of some platforms only: see the root pom's {@code rocksdb.classifier}).
     * Loads it, from the copy in {@code nativeDirectory} ({@link RocksNativeLibrary}): call only
     * when the archive is about to open.
     */
    static boolean available(Path nativeDirectory) {
        try {
            RocksNativeLibrary.load(nativeDirectory);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("RocksDB's native library does not load here ({}): the archive stays in the database, "
                    + "which costs far more CPU per archived message (docs/archive.md)", e.toString());
            return false;
        }
    }

    /**
     * Opens (creating, 0700) the index of {@code domain} in {@code directory}.
     *
     * @param accountExists whether an account exists: messages of no account are not archived
     * @param sync fsync every write ({@code mam.journal_fsync})
     */
    static RocksArchiveIndex open(Path directory, DomainBareJid domain, Predicate<EntityBareJid> accountExists,
                                  boolean sync) {
        return open(directory, domain, accountExists, sync, ArchiveCounts.Limits.DEFAULT);
    }

    /** {@link #open}, with the counts' limits of a test. */
    static RocksArchiveIndex open(Path directory, DomainBareJid domain, Predicate<EntityBareJid> accountExists,
                                  boolean sync, ArchiveCounts.Limits countLimits) {
        try {
            OwnerOnlyFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the archive directory " + directory, e);
        }
        RocksDB.loadLibrary();
        LRUCache cache = new LRUCache(8L << 20);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10, false));
        UInt64AddOperator add = new UInt64AddOperator();
        Options options = new Options().setCreateIfMissing(true).setMergeOperator(add).setWriteBufferSize(4L << 20).setMaxWriteBufferNumber(2)
                .setMaxOpenFiles(64).setMaxBackgroundJobs(2).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setKeepLogFileNum(2).setMaxLogFileSize(1L << 20).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setTableFormatConfig(table)
                // Universal compaction: every flush spans all accounts' keys (they begin with the
                // owner), so leveled compaction rewrote the whole first level at each one, and
                // more as the index grew: 28 us of CPU per archived copy on an empty index, 55 at
                // 1.3 GB (5 million copies, 2,000 accounts); universal, 20-28 us all the way
                // (docs/benchmarks.md). The price: a full compaction needs up to the index's size
                // again on disk while it runs (docs/archive.md). An index written leveled opens as is.
                .setCompactionStyle(CompactionStyle.UNIVERSAL)
                // Up to 8 sorted runs before a compaction, merged 4 or more at a time: with
                // RocksDB's 4 and 2, at a steady rate every flush (a run of a few MB) was merged
                // into the newest large run, rewriting 20-30 MB to add 1.4, and compaction took
                // half a core at 8,000 chat messages a second; with these, a quarter of that
                // (docs/benchmarks.md, "Fewer hand-offs and compactions"). A page reads from
                // every run: the MAM page target holds (same section).
                .setLevel0FileNumCompactionTrigger(8);
        // Closed with the options (closeOptions).
        options.setCompactionOptionsUniversal(new CompactionOptionsUniversal().setMinMergeWidth(4));
        // RocksDB makes its files with the process umask (0644 unless bin/parley's 077 applies)
        // and has no mode option in Java: they are made the owner's only (0600) once it opened
        // them and whenever it writes new ones (a flush, a compaction, the WAL and log that
        // follow), as the rest of data_dir; the 0700 directory keeps others out meanwhile.
        options.setListeners(List.of(new OwnerOnlyRocksFiles(directory)));
        WriteOptions writeOptions = new WriteOptions().setSync(sync);
        try {
            RocksDB db = RocksDB.open(options, directory.toString());
            OwnerOnlyRocksFiles.restrict(directory);
            boolean upgraded = toCheckpointedCounts(db, writeOptions);
            PositionIds ids = PositionIds.open(db, writeOptions);
            RocksArchiveIndex index = new RocksArchiveIndex(directory, domain, accountExists, cache, add, options,
                    writeOptions, db, countLimits, ids);
            if (upgraded) {
                index.counts.checkpointAll(writeOptions);
            }
            return index;
        } catch (RocksDBException e) {
            writeOptions.close();
            closeOptions(options);
            add.close();
            cache.close();
            throw new StorageException("cannot open the archive index " + directory, e);
        }
    }

    /**
     * Layout 2: the counts come from checkpoints ({@link ArchiveCounts}); the count keys of
     * earlier versions ({@code n}, a merge operand per copy) go. True if the index was of an
     * earlier layout (or new): its checkpoints are then made from its keys.
     */
    private static boolean toCheckpointedCounts(RocksDB db, WriteOptions writeOptions) throws RocksDBException {
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
     * import) into the index, {@value #MIGRATION_BATCH} at a time, each write with the last
     * row's seq, then empties the table: a start interrupted goes on from there, and a row moved
     * twice is archived once (by its id). The journal position the table's indexing reached
     * ({@code mam_journal}) becomes the index's. Returns how many rows were read.
     */
    long migrate(JdbcArchiveStore table) {
        return whileOpen(() -> migrateOpen(table));
    }

    private long migrateOpen(JdbcArchiveStore table) {
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
            List<JdbcArchiveStore.Row> rows = table.rowsAfter(after, MIGRATION_BATCH);
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
            write(records.stream().map(JournalRecord::of).toList(), true, MIGRATED, longBytes(after));
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

    @Override
    public List<Boolean> appendAll(List<ArchiveRecord> batch) {
        return whileOpen(() -> appendAllOpen(batch));
    }

    private List<Boolean> appendAllOpen(List<ArchiveRecord> batch) {
        return write(batch.stream().map(JournalRecord::of).toList(), false, null, null);
    }

    @Override
    public void index(DomainBareJid journalDomain, List<JournalRecord> batch, long from, long position) {
        whileOpen(() -> {
            indexOpen(journalDomain, batch, from, position);
            return null;
        });
    }

    private void indexOpen(DomainBareJid journalDomain, List<JournalRecord> batch, long from, long position) {
        byte[] journal = key(JOURNAL, utf8(journalDomain.toString()));
        // The journal's position and its batches are written together: only a batch from before
        // it can hold messages indexed already, and only then are the ids looked up.
        write(batch, from < reads.readLong(journal), journal, longBytes(position));
    }

    @Override
    public long indexedPosition(DomainBareJid journalDomain) {
        return whileOpen(() -> indexedPositionOpen(journalDomain));
    }

    private long indexedPositionOpen(DomainBareJid journalDomain) {
        return reads.readLong(key(JOURNAL, utf8(journalDomain.toString())));
    }

    /**
     * Archives the records of existing accounts, and {@code extraKey} if given, in one write;
     * with {@code lookUpIds}, only those whose id is not archived yet (a look-up per record: the
     * largest part of a write's cost as the index grows, IndexBench: 10 us/row without it, 25
     * with it, at 600,000 rows).
     */
    private List<Boolean> write(List<JournalRecord> batch, boolean lookUpIds, byte[] extraKey, byte[] extraValue) {
        List<Boolean> archived = new ArrayList<>(batch.size());
        Map<String, Boolean> exists = new HashMap<>();
        synchronized (writeLock) {
            long added = 0;
            long newest = counts.newest();
            Set<ByteBuffer> seen = new HashSet<>();
            try (WriteBatch write = new WriteBatch()) {
                ArchiveCounts.Changes checkpoints = counts.changes(write);
                for (JournalRecord record : batch) {
                    if (!exists.computeIfAbsent(record.owner(), this::exists)) {
                        archived.add(false);
                        continue;
                    }
                    archived.add(true);
                    // Keys and rows straight from the record's bytes: no strings, no JIDs.
                    byte[] position = ids.positionOf(record);
                    byte[] rowKey;
                    if (position != null) {
                        // The id is the position: no id key.
                        rowKey = ArchiveKeys.rowKey(record, position);
                        if (!seen.add(ByteBuffer.wrap(rowKey)) || lookUpIds && archived(rowKey)) {
                            continue; // archived before: the batch is indexed again
                        }
                    } else {
                        byte[] idKey = ArchiveKeys.idKey(record);
                        if (!seen.add(ByteBuffer.wrap(idKey)) || lookUpIds && archived(idKey)) {
                            continue;
                        }
                        position = position(record.stamp(), ids.nextSequence());
                        rowKey = ArchiveKeys.rowKey(record, position);
                        write.put(idKey, position);
                    }
                    byte[] withKey = ArchiveKeys.withKey(record, position);
                    write.put(rowKey, ArchiveKeys.rowValue(record));
                    write.put(withKey, EMPTY);
                    if (counts.belowSettled(record.stamp(), newest)) {
                        // An old stamp (an import, a late journal): it may lie below checkpoints.
                        checkpoints.add(prefixOf(rowKey), position, 1);
                        checkpoints.add(prefixOf(withKey), position, 1);
                    }
                    newest = ArchiveCounts.newestAfter(newest, record.stamp());
                    added++;
                }
                write.put(ArchiveCounts.NEWEST, longBytes(newest));
                write.put(SEQUENCE, longBytes(ids.lastSequence()));
                write.put(TOTAL, longBytes(total + added));
                if (extraKey != null) {
                    write.put(extraKey, extraValue);
                }
                db.write(writeOptions, write);
                checkpoints.written(newest);
                total += added;
            } catch (RocksDBException e) {
                throw new StorageException("cannot archive " + batch.size() + " messages of " + domain, e);
            }
        }
        return archived;
    }

    /**
     * Whether a key is there (a message's id key or row): the Bloom filters answer no for almost every new id
     * without reading a block; only a maybe (about 1 %) reads it.
     */
    private boolean archived(byte[] key) throws RocksDBException {
        return db.keyMayExist(key, null) && db.get(key) != null;
    }

    private boolean exists(String owner) {
        if (existing.contains(owner)) {
            return true;
        }
        EntityBareJid jid;
        try {
            jid = Jids.parseEntityBare(owner);
        } catch (JidMalformedException e) {
            LOG.warn("archive of {}: a message for an invalid owner {} is not archived", domain, owner);
            return false;
        }
        boolean exists = accountExists.test(jid);
        if (exists) {
            existing.add(owner);
        }
        return exists;
    }

    @Override
    public ArchivePage query(EntityBareJid owner, ArchiveQuery query) {
        return whileOpen(() -> reads.query(owner, query));
    }

    @Override
    public Optional<List<ArchivedMessage>> ends(EntityBareJid owner) {
        return whileOpen(() -> reads.ends(owner));
    }

    @Override
    public List<ArchivedMessage> latest(EntityBareJid archive, int limit) {
        return whileOpen(() -> reads.latest(archive, limit));
    }

    /**
     * A stanza id (XEP-0359) for a message of this domain stamped {@code stamp} (epoch ms): its
     * position in this index, encrypted ({@link PositionIds}). Never blocks: an event loop calls it.
     */
    String newId(long stamp) {
        return ids.next(stamp);
    }

    @Override
    public Optional<String> stanza(EntityBareJid archive, String id) {
        return whileOpen(() -> reads.stanza(archive, id));
    }

    @Override
    public boolean replace(EntityBareJid archive, String id, String stanzaXml) {
        return whileOpen(() -> replaceOpen(archive, id, stanzaXml));
    }

    private boolean replaceOpen(EntityBareJid archive, String id, String stanzaXml) {
        synchronized (writeLock) {
            byte[] position = reads.positionOf(archive, id);
            byte[] rowKey = position == null ? null : key(ROW, owner(archive), position);
            byte[] row = rowKey == null ? null : reads.read(rowKey);
            if (row == null) {
                return false;
            }
            String[] fields = fields(row);
            try {
                db.put(writeOptions, rowKey, value(fields[0], fields[1], stanzaXml));
            } catch (RocksDBException e) {
                throw new StorageException("cannot replace an archived message of " + archive, e);
            }
            return true;
        }
    }

    /**
     * Deletes {@code archive}'s messages: its key ranges ({@code deleteRange}), and its entries
     * in the purge order one by one (they are ordered by time, not owner).
     */
    @Override
    public void delete(EntityBareJid archive) {
        whileOpen(() -> {
            deleteOpen(archive);
            return null;
        });
    }

    private void deleteOpen(EntityBareJid archive) {
        byte[] owned = owner(archive);
        synchronized (writeLock) {
            existing.remove(archive.toString());
            try (WriteBatch write = new WriteBatch()) {
                byte[] rowPrefix = key(ROW, owned);
                long deleted = 0;
                try (BoundedKeys keys = BoundedKeys.of(db, rowPrefix, Range.ALL)) {
                    RocksIterator rows = keys.iterator;
                    for (rows.seekToFirst(); rows.isValid(); rows.next()) {
                        byte[] key = rows.key();
                        write.delete(key(EXPIRY, domainPrefix(archive.asDomainBareJid()),
                                Arrays.copyOfRange(key, key.length - POSITION, key.length), owned));
                        deleted++;
                    }
                    keys.check();
                }
                for (byte kind : new byte[] {ROW, WITH, ID}) {
                    byte[] prefix = key(kind, owned);
                    write.deleteRange(prefix, successor(prefix));
                }
                ArchiveCounts.Changes checkpoints = counts.changes(write);
                checkpoints.deleteAll(key(ROW, owned));
                checkpoints.deleteAll(key(WITH, owned));
                write.put(TOTAL, longBytes(total - deleted));
                db.write(writeOptions, write);
                checkpoints.written(counts.newest());
                total -= deleted;
            } catch (RocksDBException e) {
                throw new StorageException("cannot delete the archive of " + archive, e);
            }
        }
    }

    /**
     * Retention: walks each account's rows from its oldest up to the cutoff (one seek per account,
     * whose rows are in time order), deleting each message's keys, a thousand per write; then the
     * purge entries ({@code e}) an index written by an earlier version holds for the same time,
     * in one range. Rows carry everything the purge needs, so a message is no longer written with
     * a purge entry of its own: one key less per archived copy (docs/benchmarks.md, "Fewer
     * hand-offs and compactions").
     */
    @Override
    public int purge(DomainBareJid purged, Instant cutoff) {
        return whileOpen(() -> purgeOpen(purged, cutoff));
    }

    private int purgeOpen(DomainBareJid purged, Instant cutoff) {
        byte[] expiredBefore = position(cutoff.toEpochMilli(), 0);
        byte[] purgedDomain = utf8(purged.toString());
        byte[] rows = {ROW};
        byte[] from = rows;
        int purgedCount = 0;
        while (from != null) {
            synchronized (writeLock) {
                int inBatch = 0;
                try (WriteBatch write = new WriteBatch();
                     BoundedKeys keys = new BoundedKeys(db, from, successor(rows))) {
                    ArchiveCounts.Changes checkpoints = counts.changes(write);
                    RocksIterator row = keys.iterator;
                    for (row.seekToFirst(); row.isValid() && inBatch < MIGRATION_BATCH; ) {
                        byte[] key = row.key();
                        byte[] owned = ownerOfRow(key);
                        byte[] position = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                        if (Arrays.compareUnsigned(position, expiredBefore) >= 0 || !ofDomain(owned, purgedDomain)) {
                            // The rest of this account's rows are newer (or of another domain,
                            // which an index of one domain holds only in tests): on to the next account.
                            row.seek(successor(key(ROW, owned)));
                            continue;
                        }
                        String[] fields = fields(row.value());
                        byte[] bareWith = utf8(RocksArchiveReads.bare(fields[1]));
                        write.delete(key);
                        write.delete(key(WITH, owned, bareWith, new byte[] {0}, position));
                        if (!Arrays.equals(ids.position(fields[0]), position)) {
                            write.delete(key(ID, owned, utf8(fields[0])));
                        }
                        checkpoints.add(key(ROW, owned), position, -1);
                        checkpoints.add(key(WITH, owned, bareWith, new byte[] {0}), position, -1);
                        inBatch++;
                        row.next();
                    }
                    keys.check();
                    from = row.isValid() ? row.key() : null;
                    if (from == null) {
                        byte[] entries = key(EXPIRY, domainPrefix(purged));
                        write.deleteRange(entries, key(entries, expiredBefore));
                    }
                    write.put(TOTAL, longBytes(total - inBatch));
                    db.write(writeOptions, write);
                    checkpoints.written(counts.newest());
                    total -= inBatch;
                    purgedCount += inBatch;
                } catch (RocksDBException e) {
                    throw new StorageException("cannot purge expired archived messages of " + domain, e);
                }
            }
        }
        return purgedCount;
    }

    /** The owner part of a row's key ({@code r} owner 0 position): the owner and its NUL. */
    private static byte[] ownerOfRow(byte[] rowKey) {
        return Arrays.copyOfRange(rowKey, 1, rowKey.length - POSITION);
    }

    /** Whether an owner (its bare JID and a NUL) is an account of {@code domain}: what follows its {@code @}. */
    private static boolean ofDomain(byte[] owned, byte[] domain) {
        int at = 0;
        while (at < owned.length && owned[at] != '@') {
            at++;
        }
        if (at >= owned.length - 1) {
            return false;
        }
        return Arrays.equals(owned, at + 1, owned.length - 1, domain, 0, domain.length);
    }

    /** All messages in the index, which holds one domain's archives. */
    @Override
    public long size(DomainBareJid sized) {
        return total;
    }

    /**
     * Runs {@code work} unless the index is closed: a call that comes late (a query while the
     * server stops) fails instead of reaching a closed native database.
     */
    private <T> T whileOpen(Supplier<T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new StorageException("the archive index of " + domain + " is closed", null);
            }
            return work.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Closes the database (after the indexer: {@link MamModule}), once the calls in progress are
     * done; a second close does nothing. Its files are then made the owner's only (0600), as the
     * rest of data_dir: RocksDB creates them with the process umask, inside the 0700 directory.
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writeOptions.close();
            closeOptions(options);
            add.close();
            cache.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
        OwnerOnlyRocksFiles.restrict(directory);
    }

    /** A key's prefix: all but its position. */
    private static byte[] prefixOf(byte[] key) {
        return Arrays.copyOf(key, key.length - POSITION);
    }

    /** Closes {@code options} and the universal compaction options it holds (native objects both). */
    private static void closeOptions(Options options) {
        CompactionOptionsUniversal universal = options.compactionOptionsUniversal();
        options.close();
        if (universal != null) {
            universal.close();
        }
    }

}
