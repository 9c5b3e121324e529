package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.POSITION;

import im.parley.server.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The archived stanzas of a {@link RocksArchiveIndex}, in their own column family
 * ({@link RocksArchiveOptions#STANZAS}) under keys in time order: position, then owner and a NUL.
 * A row ({@code r} owner position) keeps the message's id and {@code with}, and its stanza here; a
 * row an earlier layout wrote still holds its stanza itself ({@link #inRow}). The stanzas are most
 * of the archive's bytes, and their keys rise as messages are archived, so RocksDB's leveled
 * compaction moves their files down without rewriting them: written once, where keys that begin
 * with the owner were rewritten by each compaction (docs/benchmarks.md, "Stanzas in time order").
 */
final class RocksArchiveStanzas {

    private final RocksDB db;
    private final ColumnFamilyHandle family;
    /** The family's id, as a serialized write batch names it ({@link WriteBatchEncoder}). */
    private final int familyId;
    private final DomainBareJid domain;

    RocksArchiveStanzas(RocksDB db, ColumnFamilyHandle family, DomainBareJid domain) {
        this.db = db;
        this.family = family;
        this.familyId = family.getID();
        this.domain = domain;
    }

    /** Position, then owner (its bare JID and NUL, as {@link ArchiveKeys#owner}). */
    static byte[] key(byte[] position, byte[] owned) {
        return ByteBuffer.allocate(POSITION + owned.length).put(position).put(owned).array();
    }

    /** Whether a row (id, {@code with}, stanza: {@link ArchiveKeys#fields}) holds its stanza itself, as earlier layouts wrote it. */
    static boolean inRow(String[] fields) {
        return !fields[2].isEmpty();
    }

    /** {@link #inRow(String[])} of a row's value as stored, from its lengths alone (nothing decoded). */
    static boolean inRow(byte[] row) {
        ByteBuffer value = ByteBuffer.wrap(row);
        int idLength = value.getInt(0);
        int withLength = value.getInt(Integer.BYTES + idLength);
        return row.length > 2 * Integer.BYTES + idLength + withLength;
    }

    /**
     * The stanza of {@code owned}'s message at {@code position}, or null if there is none: reads
     * take no lock, and a message deleted (its row and stanza in one write) after its row was
     * read has none.
     */
    String read(byte[] position, byte[] owned) {
        try {
            return string(db.get(family, key(position, owned)));
        } catch (RocksDBException e) {
            throw new StorageException("cannot read an archived stanza of " + domain, e);
        }
    }

    /** The stanzas of {@code owned}'s messages at {@code positions}, in their order, read together; null as {@link #read}. */
    List<String> readAll(List<byte[]> positions, byte[] owned) {
        if (positions.isEmpty()) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>(positions.size());
        for (byte[] position : positions) {
            keys.add(key(position, owned));
        }
        List<byte[]> values;
        try {
            values = db.multiGetAsList(Collections.nCopies(keys.size(), family), keys);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read archived stanzas of " + domain, e);
        }
        List<String> stanzas = new ArrayList<>(values.size());
        for (byte[] value : values) {
            stanzas.add(string(value));
        }
        return stanzas;
    }

    private static String string(byte[] stanza) {
        return stanza == null ? null : new String(stanza, StandardCharsets.UTF_8);
    }

    void put(WriteBatch write, byte[] key, byte[] stanza) throws RocksDBException {
        write.put(family, key, stanza);
    }

    /** Puts {@code record}'s stanza under {@code key}, copied from the record when the batch is encoded. */
    void put(WriteBatchEncoder write, byte[] key, JournalRecord record) {
        write.putStanza(familyId, key, record);
    }

    /**
     * Drops the family's files whose stanzas all lie before {@code position} (RocksDB's
     * {@code DeleteFilesInRanges}: files of the first level and below, never the newest, level
     * 0): the retention purge, which deleted those messages' rows and wrote tombstones for their
     * stanzas, gets the disk back at once instead of when compactions reach those files.
     * Only when every stanza before {@code position} belongs to a purged message.
     */
    void dropFilesBefore(byte[] position) {
        try {
            db.deleteFilesInRanges(family, List.of(new byte[POSITION], position), false);
        } catch (RocksDBException e) {
            throw new StorageException("cannot drop the expired stanzas' files of " + domain, e);
        }
    }

    void delete(WriteBatch write, byte[] position, byte[] owned) throws RocksDBException {
        write.delete(family, key(position, owned));
    }
}
