package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Writes of the same new key at once, from several connections, on H2 and PostgreSQL: two
 * resources of one account setting their vCard, bookmarks, push or block list at the same moment,
 * or two admins the message of the day. Under READ COMMITTED each write first finds no row, and
 * all but one insert would fail on the key; every write must succeed, the last one standing
 * ({@link SqlTransactions#runRetryingDuplicateKey}).
 */
class ConcurrentWritesTest extends StoreContract {
    private static final int WRITERS = 4;

    @RepeatedTest(3)
    void replacingWritesOfANewKeyAllSucceed() throws Exception {
        EntityBareJid juliet = account("juliet@example.org");
        VcardStore vcards = new JdbcVcardStore(dataSource());
        PrivateXmlStore privateXml = new JdbcPrivateXmlStore(dataSource());
        MotdStore motd = new JdbcMotdStore(dataSource());

        concurrently(WRITERS, n -> vcards.save(juliet, "<vCard xmlns='vcard-temp' n='" + n + "'/>"));
        concurrently(WRITERS, n -> privateXml.save(juliet, "storage:bookmarks", "storage", "<storage n='" + n + "'/>"));
        concurrently(WRITERS, n -> motd.set(juliet.asDomainBareJid(), "message " + n, n));

        assertThat(vcards.load(juliet).orElseThrow()).startsWith("<vCard xmlns='vcard-temp' n='");
        assertThat(privateXml.load(juliet, "storage:bookmarks", "storage").orElseThrow()).startsWith("<storage n='");
        assertThat(motd.find(juliet.asDomainBareJid()).orElseThrow().body()).startsWith("message ");
    }

    @RepeatedTest(3)
    void addingTheSameEntriesAtOnceKeepsEachOnce() throws Exception {
        EntityBareJid juliet = account("juliet@example.org");
        BlockListStore blocks = new JdbcBlockListStore(dataSource());
        PushStore push = new JdbcPushStore(dataSource());
        Jid tybalt = Jids.parse("tybalt@example.net");
        Jid appServer = Jids.parse("push.example.net");

        concurrently(WRITERS, n -> blocks.add(juliet, List.of(tybalt)));
        concurrently(WRITERS, n -> push.put(juliet, new PushRegistration(appServer, "node", null,
                Instant.ofEpochMilli(n)), 10));

        assertThat(blocks.load(juliet)).containsExactly(tybalt);
        assertThat(push.load(juliet)).hasSize(1);
    }

    /**
     * The offline quota holds when several messages for one account are stored at once (from
     * several nodes of a cluster, or several remote servers' streams): each store first counts,
     * and under READ COMMITTED all of them saw room for one more.
     */
    @RepeatedTest(3)
    void storingOfflineMessagesAtOnceKeepsTheQuota() throws Exception {
        EntityBareJid juliet = account("juliet@example.org");
        OfflineStore offline = new JdbcOfflineStore(dataSource());
        int quota = 3;
        for (int i = 0; i < quota - 1; i++) {
            offline.append(juliet, "<message id='old" + i + "'/>", Instant.ofEpochMilli(i), quota);
        }

        concurrently(WRITERS, n -> offline.append(juliet, "<message id='new" + n + "'/>", Instant.ofEpochMilli(100 + n),
                quota));

        assertThat(offline.count(juliet)).isEqualTo(quota);
    }
}
