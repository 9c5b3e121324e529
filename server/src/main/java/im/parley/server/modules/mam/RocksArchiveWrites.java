package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.EMPTY;
import static im.parley.server.modules.mam.ArchiveKeys.JOURNAL;
import static im.parley.server.modules.mam.ArchiveKeys.POSITION;
import static im.parley.server.modules.mam.ArchiveKeys.ROW;
import static im.parley.server.modules.mam.ArchiveKeys.SEQUENCE;
import static im.parley.server.modules.mam.ArchiveKeys.TOTAL;
import static im.parley.server.modules.mam.ArchiveKeys.fields;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.longBytes;
import static im.parley.server.modules.mam.ArchiveKeys.owner;
import static im.parley.server.modules.mam.ArchiveKeys.position;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;
import static im.parley.server.modules.mam.ArchiveKeys.value;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes that archive into a {@link RocksArchiveIndex}: the indexer's journal batches, direct
 * appends, a migration's rows, and a moderated message's tombstone (a replaced stanza). The
 * per-message path of the chat benchmark, kept apart from the deletions and the migration so that
 * its loop reads in one piece: keys and rows straight from a record's bytes, the ids the server
 * gives being positions (XEP-0359, {@link PositionIds}). Every write is one atomic
 * {@link WriteBatch}, under the index's write lock.
 */
final class RocksArchiveWrites {

    // Under the index's name, as before the index was split: logging configurations name it.
    private static final Logger LOG = LoggerFactory.getLogger(RocksArchiveIndex.class);

    private final RocksDB db;
    private final RocksArchiveStanzas stanzas;
    private final WriteOptions writeOptions;
    private final DomainBareJid domain;
    private final Predicate<EntityBareJid> accountExists;
    /** Accounts known to exist: looked up once, forgotten when deleted ({@link RocksArchiveDeletions}). */
    private final Set<String> existing;
    /** Guards writes: counts, totals. */
    private final Object writeLock;
    private final ArchiveCounts counts;
    private final PositionIds ids;
    private final RocksArchiveReads reads;
    private final RocksArchiveTotal total;
    /** Told the bytes of each batch written ({@link BackgroundWritePace#indexed}). */
    private final LongConsumer indexed;

    RocksArchiveWrites(RocksDB db, RocksArchiveStanzas stanzas, WriteOptions writeOptions, DomainBareJid domain,
                       Predicate<EntityBareJid> accountExists, Set<String> existing, Object writeLock,
                       ArchiveCounts counts, PositionIds ids, RocksArchiveReads reads, RocksArchiveTotal total,
                       LongConsumer indexed) {
        this.db = db;
        this.stanzas = stanzas;
        this.writeOptions = writeOptions;
        this.domain = domain;
        this.accountExists = accountExists;
        this.existing = existing;
        this.writeLock = writeLock;
        this.counts = counts;
        this.ids = ids;
        this.reads = reads;
        this.total = total;
        this.indexed = indexed;
    }

    /** {@link ArchiveIndex#appendAll}. */
    List<Boolean> appendAll(List<ArchiveRecord> batch) {
        return write(batch.stream().map(JournalRecord::of).toList(), false, null, null);
    }

    /** {@link ArchiveIndex#index}: the batch and the journal position after it, in one write. */
    void index(DomainBareJid journalDomain, List<JournalRecord> batch, long from, long position) {
        byte[] journal = key(JOURNAL, utf8(journalDomain.toString()));
        // The journal's position and its batches are written together: only a batch from before
        // it can hold messages indexed already, and only then are the ids looked up.
        write(batch, from < reads.readLong(journal), journal, longBytes(position));
    }

    /**
     * Archives the records of existing accounts, and {@code extraKey} if given, in one write;
     * with {@code lookUpIds}, only those whose id is not archived yet (a look-up per record: the
     * largest part of a write's cost as the index grows, IndexBench: 10 us/row without it, 25
     * with it, at 600,000 rows).
     */
    List<Boolean> write(List<JournalRecord> batch, boolean lookUpIds, byte[] extraKey, byte[] extraValue) {
        List<Boolean> archived = new ArrayList<>(batch.size());
        Predicate<String> exists = this::exists;
        synchronized (writeLock) {
            long added = 0;
            long newest = counts.newest();
            // Sized for the batch: growing them rehashed every key several times a batch.
            Set<ByteBuffer> seen = new HashSet<>(capacityFor(batch.size()));
            OwnerOrder order = new OwnerOrder(batch.size());
            // The rows, conversation keys and stanzas in one array (WriteBatchEncoder); the rare
            // keys (ids of other forms, checkpoints) and the counters through the API, after them.
            WriteBatchEncoder bulk = new WriteBatchEncoder(batch.size() * 3);
            try (WriteBatch write = new WriteBatch()) {
                ArchiveCounts.Changes checkpoints = counts.changes(write);
                for (JournalRecord record : batch) {
                    // One look-up a record, by the owner's bytes; its account asked about once a batch.
                    OwnerOrder.Owner owner = order.ownerOf(record);
                    if (!owner.exists(exists)) {
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
                    owner.add(rowKey, ArchiveKeys.rowValue(record), withKey);
                    // In journal order, which is nearly the positions' order: the stanzas' keys.
                    stanzas.put(bulk, ArchiveKeys.stanzaKey(record, position), record);
                    if (counts.belowSettled(record.stamp(), newest)) {
                        // An old stamp (an import, a late journal): it may lie below checkpoints.
                        checkpoints.add(prefixOf(rowKey), position, 1);
                        checkpoints.add(prefixOf(withKey), position, 1);
                    }
                    newest = ArchiveCounts.newestAfter(newest, record.stamp());
                    added++;
                }
                order.putAll(bulk);
                write.put(ArchiveCounts.NEWEST, longBytes(newest));
                write.put(SEQUENCE, longBytes(ids.lastSequence()));
                write.put(TOTAL, longBytes(total.value() + added));
                if (extraKey != null) {
                    write.put(extraKey, extraValue);
                }
                try (WriteBatch all = bulk.then(write)) {
                    db.write(writeOptions, all);
                    indexed.accept(all.getDataSize());
                }
                checkpoints.written(newest);
                total.written(total.value() + added);
            } catch (RocksDBException e) {
                throw new StorageException("cannot archive " + batch.size() + " messages of " + domain, e);
            }
        }
        return archived;
    }

    /**
     * A batch's rows and conversation keys, put into the {@link WriteBatch} in key order or near
     * it: the rows by owner in the owners' order, each owner's in the batch's (its positions
     * rising), then the conversation keys the same way. RocksDB inserts each key of a batch into
     * its memtable's skip list starting from where the one before went; in the journal's order
     * (owners interleaved) nearly every insert searched the list from its top, half of the
     * indexer's CPU (docs/benchmarks.md, "Keys in owner order"). Only the owners are sorted (a
     * few thousand a batch), not every key.
     *
     * <p>A record finds its owner's entry by the owner's bytes as the journal holds them: the
     * owner's string is made, and its account asked about, once a batch, not once a record
     * (docs/benchmarks.md, "Where the chat's rate goes now": the indexer's owners).
     */
    static final class OwnerOrder {
        private final Map<OwnerKey, Owner> byOwner;

        /** For a batch of at most {@code rows} rows. */
        OwnerOrder(int rows) {
            byOwner = new HashMap<>(capacityFor(rows));
        }

        /** The entry of {@code record}'s owner, made at the batch's first record of that owner. */
        Owner ownerOf(JournalRecord record) {
            return byOwner.computeIfAbsent(new OwnerKey(record), key -> new Owner(record.owner()));
        }

        /** Where the keys go: a batch being built ({@link WriteBatchEncoder}), or a {@link WriteBatch}'s {@code put}. */
        @FunctionalInterface
        interface Put {
            void put(byte[] key, byte[] value) throws RocksDBException;
        }

        void putAll(Put write) throws RocksDBException {
            // Owners' keys begin with the owner's UTF-8 bytes and a NUL: their byte order is
            // that of the owners' strings, but for characters outside the Basic Multilingual
            // Plane, rare in JIDs; a key out of order costs a search, nothing else.
            List<Owner> owners = new ArrayList<>(byOwner.size());
            for (Owner owner : byOwner.values()) {
                if (!owner.rows.isEmpty()) {
                    owners.add(owner);
                }
            }
            owners.sort((a, b) -> a.name.compareTo(b.name));
            for (Owner owner : owners) {
                for (byte[][] row : owner.rows) {
                    write.put(row[0], row[1]);
                }
            }
            for (Owner owner : owners) {
                List<byte[][]> rows = owner.rows;
                if (rows.size() > 1) {
                    rows.sort((a, b) -> Arrays.compareUnsigned(a[2], b[2]));
                }
                for (byte[][] row : rows) {
                    write.put(row[2], EMPTY);
                }
            }
        }

        /** An owner of the batch: its bare JID, whether its account exists, its rows so far. */
        static final class Owner {
            final String name;
            private Boolean exists;
            private final List<byte[][]> rows = new ArrayList<>(4);

            private Owner(String name) {
                this.name = name;
            }

            /** Whether the account exists, asked of {@code ask} at the first call only. */
            boolean exists(Predicate<String> ask) {
                if (exists == null) {
                    exists = ask.test(name);
                }
                return exists;
            }

            void add(byte[] rowKey, byte[] rowValue, byte[] withKey) {
                rows.add(new byte[][] {rowKey, rowValue, withKey});
            }
        }

        /** A record as the key of its owner: equal to another record's with the same owner bytes. */
        private record OwnerKey(JournalRecord record, int hash) {

            OwnerKey(JournalRecord record) {
                this(record, record.ownerHash());
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof OwnerKey key && key.hash == hash && record.sameOwner(key.record);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }
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

    /** {@link ArchiveIndex#replace}: the row keeps its id and {@code with}, with the new stanza (in the row if it held it). */
    boolean replace(EntityBareJid archive, String id, String stanzaXml) {
        synchronized (writeLock) {
            byte[] position = reads.positionOf(archive, id);
            byte[] rowKey = position == null ? null : key(ROW, owner(archive), position);
            byte[] row = rowKey == null ? null : reads.read(rowKey);
            if (row == null) {
                return false;
            }
            String[] fields = fields(row);
            try (WriteBatch write = new WriteBatch()) {
                if (RocksArchiveStanzas.inRow(fields)) {
                    write.put(rowKey, value(fields[0], fields[1], stanzaXml));
                } else {
                    stanzas.put(write, RocksArchiveStanzas.key(position, owner(archive)), utf8(stanzaXml));
                }
                db.write(writeOptions, write);
            } catch (RocksDBException e) {
                throw new StorageException("cannot replace an archived message of " + archive, e);
            }
            return true;
        }
    }

    /** The initial capacity of a hash map or set that will hold {@code entries} without growing. */
    static int capacityFor(int entries) {
        return (int) Math.min(Integer.MAX_VALUE, entries * 4L / 3 + 1);
    }

    /** A key's prefix: all but its position. */
    private static byte[] prefixOf(byte[] key) {
        return Arrays.copyOf(key, key.length - POSITION);
    }
}
