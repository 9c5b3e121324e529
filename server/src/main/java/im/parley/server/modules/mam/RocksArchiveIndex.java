package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.JOURNAL;
import static im.parley.server.modules.mam.ArchiveKeys.TOTAL;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.server.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
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
 * <li>{@code r} owner position: the message (id, full {@code with}; its stanza in the family of
 *     stanzas, or in the row where an earlier layout wrote it);
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
 * These are the {@code default} column family's. The stanzas have a family of their own,
 * {@code stanzas} ({@link RocksArchiveStanzas}): position, owner → the stanza's XML, in time order,
 * so that RocksDB writes them once instead of at every compaction. An index of the layouts before
 * it (one family, stanzas in the rows) opens as is and gets the family; a version before it does
 * not open an index that has it (RocksDB refuses a database whose families it does not name).
 * This class opens and closes the index and keeps calls off a closed one; the work is its parts':
 * queries read through {@link RocksArchiveReads}, archiving writes are {@link RocksArchiveWrites}',
 * an account's deletion and the retention purge {@link RocksArchiveDeletions}', the move of older
 * data {@link RocksArchiveMigration}'s, and the native options {@link RocksArchiveOptions}'.
 * Every write is one atomic {@link WriteBatch}, with the journal position when the indexer writes:
 * after a crash the index and the position agree. Writes go to RocksDB's write-ahead log without
 * fsync unless {@code mam.journal_fsync} is on: a write that returned is in the operating system's
 * cache, which a killed process (kill -9) does not lose; with journal_fsync the index is synced too,
 * since the indexer deletes journal segments it has indexed.
 *
 * <p>Small by default (issue 19): 4 MB write buffers per family, an 8 MB block cache, 64 open
 * files, two background jobs ({@link RocksArchiveOptions}). The native library loads when the index opens, not before.
 */
final class RocksArchiveIndex implements ArchiveIndex, AutoCloseable {

    /** The directory under data_dir holding one index per hosted domain. */
    static final String DIRECTORY = "mam-archive";
    /** Rows moved from {@code mam_messages} per write ({@link #migrate}). */
    static final int MIGRATION_BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RocksArchiveIndex.class);

    private final DomainBareJid domain;
    /** The native options, freed after the database. */
    private final RocksArchiveOptions settings;
    private final RocksDB db;
    /** The handles of the database's column families ({@link RocksArchiveOptions#families}), closed before it. */
    private final List<ColumnFamilyHandle> families;
    /** Queries and the keys' values. */
    private final RocksArchiveReads reads;
    /** The archives' and conversations' counts. */
    private final ArchiveCounts counts;
    private final RocksArchiveWrites writes;
    private final RocksArchiveDeletions deletions;
    private final RocksArchiveMigration migration;
    /** Guards writes: counts, totals. Reads need no lock. */
    private final Object writeLock = new Object();
    /** Closing waits for the calls in progress ({@link #whileOpen}). */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Path directory;
    private boolean closed;
    /** Stanza ids that are positions, and the sequence numbers of positions. */
    private final PositionIds ids;
    private final RocksArchiveTotal total;

    private RocksArchiveIndex(Path directory, DomainBareJid domain, Predicate<EntityBareJid> accountExists,
                              RocksArchiveOptions settings, RocksDB db, List<ColumnFamilyHandle> families,
                              ArchiveCounts.Limits countLimits, PositionIds ids) {
        this.directory = directory;
        this.domain = domain;
        this.settings = settings;
        this.db = db;
        this.families = families;
        RocksArchiveStanzas stanzas = new RocksArchiveStanzas(db, families.get(1), domain);
        this.counts = ArchiveCounts.open(db, writeLock, countLimits);
        this.ids = ids;
        this.reads = new RocksArchiveReads(db, stanzas, domain, counts, ids);
        this.total = new RocksArchiveTotal(reads.readLong(TOTAL));
        // Accounts known to exist, shared: the writes look them up once, the deletions forget them.
        Set<String> existing = ConcurrentHashMap.newKeySet();
        this.writes = new RocksArchiveWrites(db, stanzas, settings.writeOptions, domain, accountExists, existing,
                writeLock, counts, ids, reads, total, settings.pace::indexed);
        this.deletions = new RocksArchiveDeletions(db, stanzas, settings.writeOptions, domain, existing, writeLock,
                counts, ids, total);
        this.migration = new RocksArchiveMigration(db, settings.writeOptions, domain, reads, counts, writes);
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
        RocksArchiveOptions settings = RocksArchiveOptions.of(directory, sync);
        RocksDB db = null;
        List<ColumnFamilyHandle> families = new ArrayList<>();
        try {
            db = RocksDB.open(settings.options, directory.toString(), settings.families(), families);
            OwnerOnlyRocksFiles.restrict(directory);
            boolean upgraded = RocksArchiveMigration.toCheckpointedCounts(db, settings.writeOptions);
            PositionIds ids = PositionIds.open(db, settings.writeOptions);
            RocksArchiveIndex index = new RocksArchiveIndex(directory, domain, accountExists, settings, db,
                    families, countLimits, ids);
            if (upgraded) {
                index.counts.checkpointAll(settings.writeOptions);
            }
            return index;
        } catch (RocksDBException | RuntimeException e) {
            // A database opened and then refused (its ids' key, the counts' upgrade) is closed too:
            // left open it would hold its LOCK file, and the next open in this process would fail.
            families.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            settings.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException("cannot open the archive index " + directory, e);
        }
    }

    /**
     * Moves the rows of {@code mam_messages} into the index ({@link RocksArchiveMigration#migrate});
     * returns how many rows were read.
     */
    long migrate(JdbcArchiveStore table) {
        return whileOpen(() -> migration.migrate(table));
    }

    @Override
    public List<Boolean> appendAll(List<ArchiveRecord> batch) {
        return whileOpen(() -> writes.appendAll(batch));
    }

    @Override
    public void index(DomainBareJid journalDomain, List<JournalRecord> batch, long from, long position) {
        whileOpen(() -> {
            writes.index(journalDomain, batch, from, position);
            return null;
        });
    }

    @Override
    public long indexedPosition(DomainBareJid journalDomain) {
        return whileOpen(() -> indexedPositionOpen(journalDomain));
    }

    private long indexedPositionOpen(DomainBareJid journalDomain) {
        return reads.readLong(key(JOURNAL, utf8(journalDomain.toString())));
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
     * Tells the index that {@code bytes} of messages reached the journal, bound for it: its
     * background writes keep pace with them ({@link BackgroundWritePace}).
     */
    void arrived(long bytes) {
        settings.pace.arrived(bytes);
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
        return whileOpen(() -> writes.replace(archive, id, stanzaXml));
    }

    /** Deletes {@code archive}'s messages ({@link RocksArchiveDeletions#delete}). */
    @Override
    public void delete(EntityBareJid archive) {
        whileOpen(() -> {
            deletions.delete(archive);
            return null;
        });
    }

    /** Retention ({@link RocksArchiveDeletions#purge}). */
    @Override
    public int purge(DomainBareJid purged, Instant cutoff) {
        return whileOpen(() -> deletions.purge(purged, cutoff));
    }

    /** All messages in the index, which holds one domain's archives. */
    @Override
    public long size(DomainBareJid sized) {
        return total.value();
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
            families.forEach(ColumnFamilyHandle::close);
            db.close();
            settings.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
        OwnerOnlyRocksFiles.restrict(directory);
    }

}
