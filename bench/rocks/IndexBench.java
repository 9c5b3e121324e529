package im.parley.server.modules.mam;

import im.parley.core.jid.Jids;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Ad hoc (issue 13): RocksArchiveIndex.index itself, as the indexer calls it, with the rows of
 * /work/exp/H2Text.java (2,000 owners in a scattered order, one row per archive copy). Prints the
 * indexing thread's CPU and the process's (with RocksDB's flushes and compactions) per row.
 *
 *   CP=server/target/classes:core/target/classes:$(ls server/target/lib/*.jar | tr "\n" :)
 *   javac -d out -cp $CP bench/rocks/IndexBench.java && java -cp out:$CP im.parley.server.modules.mam.IndexBench 200000 500
 */
public class IndexBench {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        int batchSize = Integer.parseInt(a[1]);
        var dir = Files.createTempDirectory("ib");
        var domain = Jids.parseEntityBare("x@parley.test").asDomainBareJid();
        List<EntityBareJid> owners = new ArrayList<>();
        List<Jid> peers = new ArrayList<>();
        for (int u = 0; u < 2000; u++) {
            owners.add(Jids.parseEntityBare("user" + u + "@parley.test"));
            peers.add(Jids.parse("user" + u + "@parley.test/bench"));
        }
        String xml = "<message xmlns='jabber:client' from='user17@parley.test/bench' to='user1234@parley.test' type='chat' id='m-123456789'><body>Hello there, this is a benchmark message of moderate size: 0123456789</body><stanza-id xmlns='urn:xmpp:sid:0' by='user1234@parley.test' id='01JF0000000000000000000000'/></message>";
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long position = 0;
        try (var index = RocksArchiveIndex.open(dir.resolve("x"), domain, owner -> true, false)) {
            for (int round = 0; round < 3; round++) {
                // The records are built before the clock starts: the indexer reads them from the journal.
                List<List<JournalRecord>> batches = new ArrayList<>();
                List<JournalRecord> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int u = (i * 7919) % 2000;
                    batch.add(JournalRecord.of(new ArchiveRecord(owners.get(u), peers.get((u + 1) % 2000),
                            new ArchivedMessage(UUID.randomUUID().toString(), Instant.now(), xml + i))));
                    if (batch.size() == batchSize) {
                        batches.add(batch);
                        batch = new ArrayList<>();
                    }
                }
                long t0 = System.nanoTime(), cpu0 = threads.getCurrentThreadCpuTime(), proc0 = os.getProcessCpuTime();
                for (List<JournalRecord> b : batches) {
                    index.index(domain, b, position, ++position);
                }
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long wall = System.nanoTime() - t0;
                long proc = os.getProcessCpuTime() - proc0;
                System.out.printf("RocksArchiveIndex.index batch %d round %d: %d rows, %.1f us/row wall, %.1f us/row indexer cpu, "
                        + "%.1f us/row process cpu%n", batchSize, round, n, wall / 1e3 / n, cpu / 1e3 / n, proc / 1e3 / n);
            }
        }
    }
}
