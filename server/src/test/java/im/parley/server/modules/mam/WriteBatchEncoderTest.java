package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link WriteBatchEncoder}: a batch built in the JVM's memory is, byte for byte, the batch
 * RocksDB's own {@link WriteBatch#put} calls build (its serialized form, db/write_batch.cc), for
 * keys and values of every length class of a varint32 and in a second column family, stanzas
 * copied from their journal records included; and RocksDB writes it.
 */
class WriteBatchEncoderTest {

    @TempDir
    Path directory;

    @Test
    void encodesTheBatchRocksDbBuildsAndRocksDbWritesIt() throws Exception {
        RocksDB.loadLibrary();
        List<ColumnFamilyHandle> families = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, directory.toString(), List.of(
                     new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                     new ColumnFamilyDescriptor("stanzas".getBytes(StandardCharsets.UTF_8))), families);
             WriteOptions writeOptions = new WriteOptions();
             WriteBatch byApi = new WriteBatch();
             WriteBatch tail = new WriteBatch()) {
            ColumnFamilyHandle stanzas = families.get(1);
            WriteBatchEncoder encoder = new WriteBatchEncoder(16);
            // Lengths of 0, 1, 127 (one varint byte), 128 and 20,000 (two and three bytes).
            int[] lengths = {0, 1, 127, 128, 20_000};
            for (int i = 0; i < lengths.length; i++) {
                byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[lengths[i]];
                Arrays.fill(value, (byte) ('a' + i));
                encoder.put(key, value);
                byApi.put(key, value);
                encoder.put(stanzas.getID(), key, value);
                byApi.put(stanzas, key, value);
                // A stanza of the same length, copied from its record as the batch is encoded.
                byte[] stanzaKey = ("s" + i).getBytes(StandardCharsets.UTF_8);
                byte[] stanza = new byte[lengths[i]];
                Arrays.fill(stanza, (byte) ('A' + i));
                encoder.putStanza(stanzas.getID(), stanzaKey, record(stanza));
                byApi.put(stanzas, stanzaKey, stanza);
            }
            tail.put("counter".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            tail.delete("gone".getBytes(StandardCharsets.UTF_8));
            byApi.put("counter".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            byApi.delete("gone".getBytes(StandardCharsets.UTF_8));

            try (WriteBatch encoded = encoder.then(tail)) {
                assertThat(encoded.count()).isEqualTo(17);
                assertThat(encoded.data()).isEqualTo(byApi.data());
                db.write(writeOptions, encoded);
            }

            assertThat(db.get("k4".getBytes(StandardCharsets.UTF_8))).hasSize(20_000);
            assertThat(db.get(stanzas, "k2".getBytes(StandardCharsets.UTF_8))).hasSize(127);
            assertThat(db.get(stanzas, "k0".getBytes(StandardCharsets.UTF_8))).isEmpty();
            assertThat(db.get("counter".getBytes(StandardCharsets.UTF_8))).containsExactly(1, 2, 3);
            assertThat(db.get(stanzas, "s4".getBytes(StandardCharsets.UTF_8))).hasSize(20_000).containsOnly('E');
            families.forEach(ColumnFamilyHandle::close);
        }
    }

    /** A journal record whose stanza is {@code stanza}'s bytes, as the indexer reads it. */
    private static JournalRecord record(byte[] stanza) throws Exception {
        return JournalRecord.of(new ArchiveRecord(Jids.parseEntityBare("romeo@parley.test"),
                Jids.parse("juliet@parley.test/balcony"), ArchivedMessage.ofUtf8("id", Instant.EPOCH, stanza)));
    }
}
