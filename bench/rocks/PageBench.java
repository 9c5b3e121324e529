package im.parley.server.modules.mam;

import im.parley.core.jid.Jids;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Ad hoc (issue 13's page target: a page of 50 from an archive of 100,000, p99 < 20 ms), on
 * RocksArchiveIndex alone, without the server. Juliet's 100,000 messages are archived among those
 * of OTHERS other accounts, one of hers in every SPREAD copies of the same time (as on a busy server,
 * where an account's messages lie among everybody's), so that each stanza of a page is in a block
 * of its own in the family of stanzas. In the module's package (the index is package-private):
 *
 *   CP=server/target/classes:core/target/classes:$(ls server/target/lib/*.jar | tr "\n" :)
 *   javac -d out -cp $CP bench/rocks/PageBench.java && java -cp out:$CP im.parley.server.modules.mam.PageBench [SPREAD] [OTHERS]
 */
public class PageBench {
    public static void main(String[] a) throws Exception {
        int spread = a.length > 0 ? Integer.parseInt(a[0]) : 20;
        int others = a.length > 1 ? Integer.parseInt(a[1]) : 1000;
        var dir = Files.createTempDirectory("pb");
        var owner = Jids.parseEntityBare("juliet@parley.test");
        Jid romeo = Jids.parse("romeo@parley.test/orchard");
        Jid nurse = Jids.parse("nurse@parley.test/k");
        List<EntityBareJid> accounts = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            accounts.add(Jids.parseEntityBare("user" + i + "@parley.test"));
        }
        var index = RocksArchiveIndex.open(dir.resolve("x"), owner.asDomainBareJid(), o -> true, false);
        String xml = "<message xmlns='jabber:client' from='romeo@parley.test/orchard' to='juliet@parley.test' type='chat' id='m-%d'><body>Hello there, this is a benchmark message of moderate size: %d</body></message>";
        List<String> ids = new ArrayList<>();
        Random random = new Random(1);
        long t0 = System.nanoTime();
        long stamp = 1_000_000L;
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int n = 0; n < 100_000; n++) {
            for (int k = 0; k < spread; k++) {
                String body = String.format(xml, random.nextInt(), random.nextLong());
                boolean hers = k == 0;
                String id = index.newId(stamp);
                Jid with = hers ? (n % 10 == 0 ? nurse : romeo) : romeo;
                EntityBareJid of = hers ? owner : accounts.get(random.nextInt(others));
                if (hers) {
                    ids.add(id);
                }
                batch.add(new ArchiveRecord(of, with, new ArchivedMessage(id, Instant.ofEpochMilli(stamp), body)));
                if (batch.size() == 5000) {
                    index.appendAll(batch);
                    batch.clear();
                }
            }
            stamp += 3;
        }
        index.appendAll(batch);
        System.out.printf("fill %,d copies (1 in %d Juliet's): %.0f ms%n", 100_000L * spread, spread, (System.nanoTime() - t0) / 1e6);
        for (int round = 0; round < 2; round++) {
            for (String kind : List.of("newest", "oldest", "after-random", "before-random", "with-bare-newest", "with-full-newest")) {
                long[] times = new long[300];
                int count = 0;
                for (int r = 0; r < times.length; r++) {
                    String id = ids.get(random.nextInt(ids.size()));
                    ArchiveQuery q = switch (kind) {
                        case "oldest" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, null, 50, false);
                        case "newest" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, "", 50, false);
                        case "after-random" -> new ArchiveQuery(null, null, null, null, null, List.of(), id, null, 50, false);
                        case "before-random" -> new ArchiveQuery(null, null, null, null, null, List.of(), null, id, 50, false);
                        case "with-bare-newest" -> new ArchiveQuery(romeo.asBareJid(), null, null, null, null, List.of(), null, "", 50, false);
                        default -> new ArchiveQuery(nurse, null, null, null, null, List.of(), null, "", 50, false);
                    };
                    long s = System.nanoTime();
                    ArchivePage page = index.query(owner, q);
                    times[r] = System.nanoTime() - s;
                    count = page.items().size();
                }
                Arrays.sort(times);
                System.out.printf("round %d %-17s p50 %.2f ms, p99 %.2f ms (%d items)%n", round, kind, times[150] / 1e6,
                        times[296] / 1e6, count);
            }
        }
        index.close();
    }
}
