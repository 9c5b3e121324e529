package im.parley.server.modules.mam;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A RocksDB write batch built in the JVM's memory, in RocksDB's own serialized form, and handed
 * to RocksDB in one call ({@link WriteBatch#WriteBatch(byte[])}): the indexer's batches hold three
 * keys per archived copy, thousands a batch, and each {@link WriteBatch#put} was a call into the
 * native library that pinned and copied its arrays, a fifth of the indexer's time
 * (docs/benchmarks.md, "A write batch in one call").
 *
 * <p>The puts are kept as they come and encoded once, by {@link #then}, into an array of exactly
 * the batch's size, which is what RocksDB's constructor takes: no array grown while the batch
 * fills and copied whole at its end, each of them as large as the batch (a batch of 5,000 copies
 * is megabytes: arrays G1 allocates outside its young regions). A stanza is copied straight from
 * its journal record ({@link #putStanza}), not into an array of its own first.
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

    /** A put: its family (0, the default one), key, and value, or the record whose stanza is the value. */
    private record Put(int family, byte[] key, byte[] value, JournalRecord stanzaOf) {

        int valueLength() {
            return value != null ? value.length : stanzaOf.stanzaLength();
        }

        /** Its bytes in the batch. */
        long encodedLength() {
            int valueLength = valueLength();
            return 1L + (family == 0 ? 0 : varintLength(family)) + varintLength(key.length) + key.length
                    + varintLength(valueLength) + valueLength;
        }
    }

    private final List<Put> puts;
    /** The encoded length of the puts so far, with the header. */
    private long length = HEADER;

    /** For a batch of about {@code expected} puts. */
    WriteBatchEncoder(int expected) {
        puts = new ArrayList<>(Math.max(16, expected));
    }

    /** Puts {@code key} → {@code value} in the default column family. */
    @Override
    public void put(byte[] key, byte[] value) {
        add(new Put(0, key, value, null));
    }

    /** Puts {@code key} → {@code value} in the column family {@code family} (its id). */
    void put(int family, byte[] key, byte[] value) {
        add(new Put(family, key, value, null));
    }

    /**
     * Puts {@code key} → {@code record}'s stanza in the column family {@code family}: its bytes are
     * copied from the record when the batch is encoded, so the record must not change until then.
     */
    void putStanza(int family, byte[] key, JournalRecord record) {
        add(new Put(family, key, null, record));
    }

    private void add(Put put) {
        puts.add(put);
        length += put.encodedLength();
    }

    int count() {
        return puts.size();
    }

    /**
     * One batch of the records put here, then those of {@code after} (a batch built through
     * RocksDB's API: its serialized form, {@link WriteBatch#data}, without its header).
     *
     * @throws IllegalStateException if the batch would be larger than an array can be
     */
    WriteBatch then(WriteBatch after) throws RocksDBException {
        byte[] tail = after.data();
        long total = length + tail.length - HEADER;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a write batch of " + total + " bytes is larger than an array");
        }
        byte[] all = new byte[(int) total];
        int at = HEADER;
        for (Put put : puts) {
            if (put.family() == 0) {
                all[at++] = VALUE;
            } else {
                all[at++] = FAMILY_VALUE;
                at = varint(all, at, put.family());
            }
            at = varint(all, at, put.key().length);
            System.arraycopy(put.key(), 0, all, at, put.key().length);
            at += put.key().length;
            if (put.value() != null) {
                at = varint(all, at, put.value().length);
                System.arraycopy(put.value(), 0, all, at, put.value().length);
                at += put.value().length;
            } else {
                at = varint(all, at, put.stanzaOf().stanzaLength());
                at = put.stanzaOf().copyStanza(all, at);
            }
        }
        System.arraycopy(tail, HEADER, all, at, tail.length - HEADER);
        at += tail.length - HEADER;
        if (at != all.length) {
            throw new IllegalStateException("a write batch encoded " + at + " of " + total + " bytes");
        }
        // Sequence 0, then the count, both little-endian.
        int count = puts.size() + after.count();
        for (int i = 0; i < 4; i++) {
            all[8 + i] = (byte) (count >>> (8 * i));
        }
        return new WriteBatch(all);
    }

    /** Writes {@code value} as a varint32 at {@code at}; returns the position after it. */
    private static int varint(byte[] out, int at, int value) {
        int v = value;
        int i = at;
        while ((v & ~0x7f) != 0) {
            out[i++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[i++] = (byte) v;
        return i;
    }

    private static int varintLength(int value) {
        int v = value;
        int bytes = 1;
        while ((v & ~0x7f) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
