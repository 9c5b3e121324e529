package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.EXPIRY;
import static im.parley.server.modules.mam.ArchiveKeys.ID;
import static im.parley.server.modules.mam.ArchiveKeys.POSITION;
import static im.parley.server.modules.mam.ArchiveKeys.ROW;
import static im.parley.server.modules.mam.ArchiveKeys.TOTAL;
import static im.parley.server.modules.mam.ArchiveKeys.WITH;
import static im.parley.server.modules.mam.ArchiveKeys.domainPrefix;
import static im.parley.server.modules.mam.ArchiveKeys.fields;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.longBytes;
import static im.parley.server.modules.mam.ArchiveKeys.owner;
import static im.parley.server.modules.mam.ArchiveKeys.position;
import static im.parley.server.modules.mam.ArchiveKeys.successor;
import static im.parley.server.modules.mam.ArchiveKeys.utf8;

import im.parley.server.modules.mam.ArchiveKeys.Range;
import im.parley.server.storage.StorageException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The deletions of a {@link RocksArchiveIndex}: a deleted account's whole archive, and the
 * retention purge of messages older than the domain's cutoff (XEP-0313 §3.2, "Message retention
 * and deletion": the server's policy, here {@code mam.retention}). Apart from
 * {@link RocksArchiveWrites} because they walk keys rather than records and take each message's
 * keys off the counts' checkpoints ({@link ArchiveCounts}, RSM {@code <count/>}, XEP-0059 §2.6)
 * instead of adding them; they share the index's write lock and its total.
 */
final class RocksArchiveDeletions {

    private final RocksDB db;
    private final RocksArchiveStanzas stanzas;
    private final WriteOptions writeOptions;
    private final DomainBareJid domain;
    /** Accounts known to exist ({@link RocksArchiveWrites}): a deleted one is forgotten. */
    private final Set<String> existing;
    /** Guards writes: counts, totals. */
    private final Object writeLock;
    private final ArchiveCounts counts;
    private final PositionIds ids;
    private final RocksArchiveTotal total;

    RocksArchiveDeletions(RocksDB db, RocksArchiveStanzas stanzas, WriteOptions writeOptions, DomainBareJid domain,
                          Set<String> existing, Object writeLock, ArchiveCounts counts, PositionIds ids,
                          RocksArchiveTotal total) {
        this.db = db;
        this.stanzas = stanzas;
        this.writeOptions = writeOptions;
        this.domain = domain;
        this.existing = existing;
        this.writeLock = writeLock;
        this.counts = counts;
        this.ids = ids;
        this.total = total;
    }

    /**
     * Deletes {@code archive}'s messages: its key ranges ({@code deleteRange}), and its stanzas
     * and its entries in the purge order one by one (they are ordered by time, not owner).
     */
    void delete(EntityBareJid archive) {
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
                        byte[] position = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                        write.delete(key(EXPIRY, domainPrefix(archive.asDomainBareJid()), position, owned));
                        if (!RocksArchiveStanzas.inRow(rows.value())) {
                            stanzas.delete(write, position, owned);
                        }
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
                write.put(TOTAL, longBytes(total.value() - deleted));
                db.write(writeOptions, write);
                checkpoints.written(counts.newest());
                total.written(total.value() - deleted);
            } catch (RocksDBException e) {
                throw new StorageException("cannot delete the archive of " + archive, e);
            }
        }
    }

    /**
     * Retention: walks each account's rows from its oldest up to the cutoff (one seek per account,
     * whose rows are in time order), deleting each message's keys, a thousand per write; then the
     * purge entries ({@code e}) an index written by an earlier version holds for the same time,
     * in one range; then the stanzas' files that hold only expired stanzas, whole
     * ({@link RocksArchiveStanzas#dropFilesBefore}). Rows carry everything the purge needs, so a
     * message is no longer written with a purge entry of its own: one key less per archived copy
     * (docs/benchmarks.md, "Fewer hand-offs and compactions").
     */
    int purge(DomainBareJid purged, Instant cutoff) {
        byte[] expiredBefore = position(cutoff.toEpochMilli(), 0);
        byte[] purgedDomain = utf8(purged.toString());
        byte[] rows = {ROW};
        byte[] from = rows;
        int purgedCount = 0;
        boolean othersExpired = false;
        while (from != null) {
            synchronized (writeLock) {
                int inBatch = 0;
                try (WriteBatch write = new WriteBatch();
                     BoundedKeys keys = new BoundedKeys(db, from, successor(rows))) {
                    ArchiveCounts.Changes checkpoints = counts.changes(write);
                    RocksIterator row = keys.iterator;
                    for (row.seekToFirst(); row.isValid() && inBatch < RocksArchiveIndex.MIGRATION_BATCH; ) {
                        byte[] key = row.key();
                        byte[] owned = ownerOfRow(key);
                        byte[] position = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                        boolean ours = ofDomain(owned, purgedDomain);
                        if (Arrays.compareUnsigned(position, expiredBefore) >= 0 || !ours) {
                            // The rest of this account's rows are newer (or of another domain,
                            // which an index of one domain holds only in tests): on to the next account.
                            othersExpired |= !ours && Arrays.compareUnsigned(position, expiredBefore) < 0;
                            row.seek(successor(key(ROW, owned)));
                            continue;
                        }
                        String[] fields = fields(row.value());
                        byte[] bareWith = utf8(RocksArchiveReads.bare(fields[1]));
                        write.delete(key);
                        write.delete(key(WITH, owned, bareWith, new byte[] {0}, position));
                        if (!RocksArchiveStanzas.inRow(fields)) {
                            stanzas.delete(write, position, owned);
                        }
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
                    write.put(TOTAL, longBytes(total.value() - inBatch));
                    db.write(writeOptions, write);
                    checkpoints.written(counts.newest());
                    total.written(total.value() - inBatch);
                    purgedCount += inBatch;
                } catch (RocksDBException e) {
                    throw new StorageException("cannot purge expired archived messages of " + domain, e);
                }
            }
        }
        if (!othersExpired) {
            // Every stanza before the cutoff was a purged message's: their files can go whole.
            stanzas.dropFilesBefore(expiredBefore);
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
}
