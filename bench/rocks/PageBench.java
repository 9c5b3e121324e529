package im.parley.server.modules.mam;

import im.parley.core.jid.Jids;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jxmpp.jid.Jid;

/**
 * Ad hoc (issue 13's page target: a page of 50 from an archive of 100,000, p99 < 20 ms), on
 * RocksArchiveIndex alone, without the server. In the module's package (the index is package-private):
 *
 *   CP=<the server's test class path, e.g. from a surefire report>
 *   javac -d out -cp $CP bench/rocks/PageBench.java && java -cp out:$CP im.parley.server.modules.mam.PageBench
 */
public class PageBench {
    public static void main(String[] a) throws Exception {
        var dir = Files.createTempDirectory("pb");
        var owner = Jids.parseEntityBare("juliet@parley.test");
        Jid romeo = Jids.parse("romeo@parley.test/orchard");
        var index = RocksArchiveIndex.open(dir.resolve("x"), owner.asDomainBareJid(), o -> true, false);
        String xml = "<message xmlns='jabber:client' from='romeo@parley.test/orchard' to='juliet@parley.test' type='chat' id='m-123456789'><body>Hello there, this is a benchmark message of moderate size: 0123456789</body></message>";
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int b = 0; b < 200; b++) {
            List<ArchiveRecord> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                Jid with = i % 10 == 0 ? Jids.parse("nurse@parley.test/k") : romeo;
                batch.add(new ArchiveRecord(owner, with, new ArchivedMessage(id, Instant.ofEpochMilli(1_000_000L + b * 500 + i), xml)));
            }
            index.index(owner.asDomainBareJid(), batch, b + 1);
        }
        System.out.printf("fill 100,000: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        Random random = new Random(1);
        for (int round = 0; round < 2; round++) {
            for (String kind : List.of("first", "last", "after-random", "before-random", "with-bare-first", "with-full-first")) {
                long[] times = new long[300];
                int count = 0;
                for (int r = 0; r < times.length; r++) {
                    String id = ids.get(random.nextInt(ids.size()));
                    ArchiveQuery q = switch (kind) {
                        case "first" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, null, 50, false);
                        case "last" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, "", 50, false);
                        case "after-random" -> new ArchiveQuery(null, null, null, null, null, List.of(), id, null, 50, false);
                        case "before-random" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, id, 50, false);
                        case "with-bare-first" -> new ArchiveQuery(romeo.asBareJid(), null, null, null, null, List.of(), null, null, 50, false);
                        default -> new ArchiveQuery(romeo, null, null, null, null, List.of(), null, null, 50, false);
                    };
                    long s = System.nanoTime();
                    ArchivePage page = index.query(owner, q);
                    times[r] = System.nanoTime() - s;
                    count = page.count();
                }
                Arrays.sort(times);
                System.out.printf("round %d %-16s p50 %.2f ms, p99 %.2f ms (count %d)%n", round, kind, times[150] / 1e6,
                        times[296] / 1e6, count);
            }
        }
        index.close();
    }
}
