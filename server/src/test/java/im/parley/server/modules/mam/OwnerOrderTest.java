package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RocksArchiveWrites.OwnerOrder}: an indexer batch arrives in the journal's order, the
 * owners interleaved; its rows and conversation keys go to RocksDB's write batch in key order,
 * so that each memtable insert starts where the one before went (docs/benchmarks.md, "Keys in
 * owner order"). A record finds its owner's entry by the owner's bytes, and the owner's account is
 * asked about once a batch.
 */
class OwnerOrderTest {

    @Test
    void rowsThenConversationKeysGoInKeyOrder() throws Exception {
        String[] owners = {"romeo@parley.test", "juliet@parley.test", "nurse@parley.test", "juliet@parley.test",
                "romeo@parley.test", "jul@parley.test", "zoë@parley.test", "juliet@parley.test"};
        String[] withs = {"juliet@parley.test/b", "romeo@parley.test/o", "juliet@parley.test/b", "nurse@parley.test/k",
                "juliet@parley.test/b", "romeo@parley.test/o", "romeo@parley.test/o", "romeo@parley.test/x"};
        RocksArchiveWrites.OwnerOrder order = new RocksArchiveWrites.OwnerOrder(8);
        for (int i = 0; i < owners.length; i++) {
            JournalRecord record = JournalRecord.of(new ArchiveRecord(Jids.parseEntityBare(owners[i]), Jids.parse(withs[i]),
                    new ArchivedMessage("id" + i, Instant.ofEpochMilli(1000), "<message/>")));
            byte[] position = ArchiveKeys.position(1000, i);
            order.ownerOf(record).add(ArchiveKeys.rowKey(record, position), ArchiveKeys.rowValue(record),
                    ArchiveKeys.withKey(record, position));
        }

        List<byte[]> keys = new ArrayList<>();
        order.putAll((key, value) -> keys.add(key));

        assertThat(keys).hasSize(2 * owners.length);
        List<byte[]> sorted = new ArrayList<>(keys);
        sorted.sort(Arrays::compareUnsigned);
        assertThat(keys).containsExactlyElementsOf(sorted);
        assertThat(keys.get(0)[0]).isEqualTo(ArchiveKeys.ROW);
        assertThat(keys.get(keys.size() - 1)[0]).isEqualTo(ArchiveKeys.WITH);
    }

    @Test
    void recordsOfOneOwnerShareAnEntryWhoseAccountIsAskedAboutOnce() throws Exception {
        String[] owners = {"juliet@parley.test", "romeo@parley.test", "juliet@parley.test", "zoë@parley.test",
                "juliet@parley.test", "zoë@parley.test"};
        RocksArchiveWrites.OwnerOrder order = new RocksArchiveWrites.OwnerOrder(owners.length);
        List<String> asked = new ArrayList<>();
        List<RocksArchiveWrites.OwnerOrder.Owner> entries = new ArrayList<>();
        for (int i = 0; i < owners.length; i++) {
            // Each record its own bytes, as the journal's reads give them.
            JournalRecord record = JournalRecord.of(new ArchiveRecord(Jids.parseEntityBare(owners[i]),
                    Jids.parse("nurse@parley.test/k"), new ArchivedMessage("id" + i, Instant.ofEpochMilli(1000), "<message/>")));
            RocksArchiveWrites.OwnerOrder.Owner owner = order.ownerOf(record);
            entries.add(owner);
            boolean exists = owner.exists(name -> {
                asked.add(name);
                return !name.startsWith("romeo");
            });
            assertThat(owner.name).isEqualTo(owners[i]);
            assertThat(exists).isEqualTo(!owners[i].startsWith("romeo"));
            if (exists) {
                byte[] position = ArchiveKeys.position(1000, i);
                owner.add(ArchiveKeys.rowKey(record, position), ArchiveKeys.rowValue(record), ArchiveKeys.withKey(record, position));
            }
        }

        assertThat(asked).containsExactly("juliet@parley.test", "romeo@parley.test", "zoë@parley.test");
        assertThat(entries.get(2)).isSameAs(entries.get(0)).isSameAs(entries.get(4));
        assertThat(entries.get(5)).isSameAs(entries.get(3));
        List<byte[]> keys = new ArrayList<>();
        order.putAll((key, value) -> keys.add(key));
        // The owner without an account has no keys: two keys for each of the other five records.
        assertThat(keys).hasSize(10);
    }
}
