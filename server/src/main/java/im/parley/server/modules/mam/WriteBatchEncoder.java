package im.parley.server.modules.mam;

import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A RocksDB write batch built in the JVM's memory, in RocksDB's own serialized form, and handed
 * to RocksDB in one call ({@link WriteBatch#WriteBatch(byte[])}): the indexer's batches hold three
 * keys per archived copy, thousands a batch, and each {@link WriteBatch#put} was a call into the
 * native library that pinned and copied its arrays, a fifth of the indexer's time
 * (docs/benchmarks.md, "A write batch in one call").
 *
 * <p>The form is RocksDB's {@code WriteBatch::rep_} (db/write_batch.cc): a sequence number
 * (fixed64, little-endian, left 0: the write assigns it), a count of records (fixed32), then per
 * record its type ({@code kTypeValue}, 1; {@code kTypeColumnFamilyValue}, 5, followed by the
 * family's id as a varint32), the key and the value, each a varint32 length and the bytes.
 */
final class WriteBatchEncoder implements RocksArchiveWrites.OwnerOrder.Put {

    private static final int HEADER = 12;
    private static final byte VALUE = 0x1;
    private static final byte FAMILY_VALUE = 0x5;

    private byte[] bytes;
    private int length = HEADER;
    private int count;

    WriteBatchEncoder(int capacity) {
        bytes = new byte[Math.max(HEADER + 16, capacity)];
    }

    /** Puts {@code key} → {@code value} in the default column family. */
    @Override
    public void put(byte[] key, byte[] value) {
        ensure(1 + 10 + key.length + value.length);
        bytes[length++] = VALUE;
        string(key);
        string(value);
        count++;
    }

    /** Puts {@code key} → {@code value} in the column family {@code family} (its id). */
    void put(int family, byte[] key, byte[] value) {
        if (family == 0) {
            put(key, value);
            return;
        }
        ensure(1 + 15 + key.length + value.length);
        bytes[length++] = FAMILY_VALUE;
        varint(family);
        string(key);
        string(value);
        count++;
    }

    int count() {
        return count;
    }

    /**
     * One batch of the records put here, then those of {@code after} (a batch built through
     * RocksDB's API: its serialized form, {@link WriteBatch#data}, without its header).
     */
    WriteBatch then(WriteBatch after) throws RocksDBException {
        byte[] tail = after.data();
        int total = count + after.count();
        byte[] all = Arrays.copyOf(bytes, length + tail.length - HEADER);
        System.arraycopy(tail, HEADER, all, length, tail.length - HEADER);
        // Sequence 0, then the count, both little-endian.
        for (int i = 0; i < 4; i++) {
            all[8 + i] = (byte) (total >>> (8 * i));
        }
        return new WriteBatch(all);
    }

    private void string(byte[] value) {
        varint(value.length);
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
    }

    private void varint(int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            bytes[length++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[length++] = (byte) v;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
