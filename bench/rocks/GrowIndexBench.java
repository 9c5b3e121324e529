package im.parley.server.modules.mam;

import im.parley.core.jid.Jids;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Issue 13: rounds of archived copies (2,000 accounts, a message of about 330 bytes each) written
 * into one growing {@link RocksArchiveIndex} in the indexer's batches of 5,000; prints the process
 * CPU per copy of each round (RocksDB's flush and compaction threads included, with a pause at the
 * end of each round for them) and the index's size. -Ddir=PATH reuses an index (with -Dstart=N
 * for new positions), to open one written by another build.
 *
 *   mvn -q -pl server -am compile && (cd server && mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp)
 *   CP=server/target/classes:$(cat /tmp/cp); javac -d /tmp/grow -cp $CP bench/rocks/GrowIndexBench.java
 *   java -cp /tmp/grow:$CP im.parley.server.modules.mam.GrowIndexBench 500000 10
 *
 * (In the package of the index, whose API is the package's own; the leveled and universal figures
 * of docs/benchmarks.md came from builds with either compaction style.)
 */
public class GrowIndexBench {
    public static void main(String[] a) throws Exception {
        int perRound = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        Path dir = System.getProperty("dir") != null ? Path.of(System.getProperty("dir")) : Files.createTempDirectory("grow");
        DomainBareJid domain = Jids.parseDomain("parley.test");
        EntityBareJid[] users = new EntityBareJid[2000];
        Jid[] withs = new Jid[2000];
        for (int i = 0; i < users.length; i++) {
            users[i] = Jids.parseEntityBare("user" + (i + 1) + "@parley.test");
            withs[i] = Jids.parse("user" + (i + 1) + "@parley.test/bench");
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long stamp = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long position = Long.getLong("start", 0);
        try (RocksArchiveIndex index = RocksArchiveIndex.open(dir.resolve("idx"), domain, jid -> true, false)) {
            for (int round = 0; round < rounds; round++) {
                long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                int n = 0;
                while (n < perRound) {
                    List<JournalRecord> batch = new ArrayList<>(5000);
                    for (int i = 0; i < 5000; i++, n++) {
                        int u = (int) ((position * 7919) % 2000);
                        int w = (u + 1 + (int) (position % 7)) % 2000;
                        String id = StanzaIds.next();
                        String xml = "<message xmlns='jabber:client' from='" + withs[w] + "' to='" + users[u]
                                + "' type='chat' id='m-" + position + "'><body>Hello there, a benchmark message of moderate size "
                                + position + "</body><stanza-id xmlns='urn:xmpp:sid:0' by='" + users[u] + "' id='" + id + "'/></message>";
                        batch.add(JournalRecord.of(new ArchiveRecord(users[u], withs[w], new ArchivedMessage(id,
                                Instant.ofEpochMilli(stamp + position / 4), xml))));
                        position++;
                    }
                    index.index(domain, batch, position - 5000, position);
                }
                // let background compaction of this round count in this round
                long wall = System.nanoTime() - t0;
                Thread.sleep(Long.getLong("settle", 3000));
                long cpu = os.getProcessCpuTime() - cpu0;
                long size = Files.walk(dir).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                System.out.printf("round %d: %.1f us CPU per copy, %.1f us wall, dir %d MB%n", round,
                        cpu / 1000.0 / perRound, wall / 1000.0 / perRound, size >> 20);
            }
        }
    }
}
