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
 * owner order").
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
            order.add(record.owner(), ArchiveKeys.rowKey(record, position), ArchiveKeys.rowValue(record),
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
}
