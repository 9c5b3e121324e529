package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JournaledArchive}: what it appends to the journal is told to the index as its intake
 * (the pace of its background writes, {@link BackgroundWritePace}), and reaches the index.
 */
class JournaledArchiveTest {

    @TempDir
    Path dir;

    @Test
    void tellsTheBytesOfEachAppendAndTheMessagesReachTheIndex() throws Exception {
        EntityBareJid juliet = Jids.parseEntityBare("juliet@example.org");
        DomainBareJid domain = juliet.asDomainBareJid();
        List<ArchiveRecord> batch = new ArrayList<>();
        long bytes = 0;
        for (int i = 1; i <= 3; i++) {
            ArchiveRecord record = new ArchiveRecord(juliet, Jids.parse("romeo@example.org/orchard"),
                    new ArchivedMessage("id-" + i, Instant.ofEpochMilli(i), "<message><body>" + i + "</body></message>"));
            batch.add(record);
            bytes += record.encode().length;
        }
        AtomicLong told = new AtomicLong();
        try (RocksArchiveIndex index = RocksArchiveIndex.open(dir.resolve("index"), domain, jid -> true, false);
             JournaledArchive archive = JournaledArchive.open(dir.resolve("journal"), domain, index, false, 100,
                     Duration.ofHours(1), appended -> {
                         told.addAndGet(appended);
                         index.arrived(appended);
                     })) {
            archive.appendAll(batch);

            assertThat(told).hasValue(bytes);
            archive.catchUp();
            assertThat(index.latest(juliet, 10)).extracting(ArchivedMessage::id).containsExactly("id-1", "id-2", "id-3");
        }
    }
}
