package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * {@link JdbcArchiveStore} on H2 and PostgreSQL: archive order by (stamp, arrival), filters and
 * RSM pages (XEP-0313 §4.1, XEP-0059 §2), preferences (XEP-0441 §3), expiry.
 */
class JdbcArchiveStoreTest extends StoreContract {
    private JdbcArchiveStore store;
    private EntityBareJid juliet;
    private Jid romeo;
    private Jid nurse;

    @BeforeEach
    void open() throws Exception {
        store = new JdbcArchiveStore(moduleSchema("mam", "classpath:db/mam"));
        juliet = account("juliet@example.org");
        romeo = Jids.parse("romeo@example.net/orchard");
        nurse = Jids.parse("nurse@example.org/kitchen");
    }

    @Test
    void archivesInOrderAndPagesForwardsAndBackwards() {
        // Two messages in one millisecond keep their arrival order.
        List<Boolean> archived = append(juliet, romeo, "a", 1000, "b", 1000, "c", 2000, "d", 3000);
        archived.addAll(append(jid("ghost@example.org"), romeo, "x", 1000));
        assertThat(archived).containsExactly(true, true, true, true, false);

        ArchivePage first = store.query(juliet, query(null, null, null, 2));
        assertThat(first.items()).extracting(ArchivedMessage::id).containsExactly("a", "b");
        assertThat(first.count()).isEqualTo(4);
        assertThat(first.complete()).isFalse();
        ArchivePage next = store.query(juliet, query(null, "b", null, 2));
        assertThat(next.items()).extracting(ArchivedMessage::id).containsExactly("c", "d");
        assertThat(next.complete()).isTrue();
        // XEP-0059 §2.5: an empty <before/> is the last page.
        assertThat(store.query(juliet, query(null, null, "", 3)).items()).extracting(ArchivedMessage::id)
                .containsExactly("b", "c", "d");
        assertThat(store.query(juliet, query(null, null, "c", 5)).items()).extracting(ArchivedMessage::id)
                .containsExactly("a", "b");
        assertThat(store.ends(juliet).orElseThrow()).extracting(ArchivedMessage::id).containsExactly("a", "d");
        assertThatThrownBy(() -> store.query(juliet, query(null, "unknown", null, 2)))
                .isInstanceOf(JdbcArchiveStore.UnknownIdException.class);
    }

    @Test
    void filtersByBareOrFullJidAndTime() throws Exception {
        append(juliet, romeo, "r1", 1000);
        append(juliet, nurse, "n1", 2000);
        append(juliet, Jids.parse("romeo@example.net/balcony"), "r2", 3000);

        assertThat(store.query(juliet, query(romeo.asBareJid(), null, null, 10)).items())
                .extracting(ArchivedMessage::id).containsExactly("r1", "r2");
        assertThat(store.query(juliet, query(romeo, null, null, 10)).items())
                .extracting(ArchivedMessage::id).containsExactly("r1");
        ArchiveQuery window = new ArchiveQuery(null, Instant.ofEpochMilli(2000), Instant.ofEpochMilli(3000), null, null,
                List.of(), null, null, 10, false);
        assertThat(store.query(juliet, window).items()).extracting(ArchivedMessage::id).containsExactly("n1", "r2");
    }

    @Test
    void purgesExpiredMessagesOfOneDomainAndGoesWithTheAccount() {
        EntityBareJid other = account("tybalt@example.com");
        append(juliet, romeo, "old", 1000, "new", 5000);
        append(other, romeo, "elsewhere", 1000);

        assertThat(store.purge(juliet.asDomainBareJid(), Instant.ofEpochMilli(2000))).isEqualTo(1);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("new");
        assertThat(store.query(other, query(null, null, null, 10)).count()).isEqualTo(1);

        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(store.ends(juliet)).isEmpty();
    }

    /** The indexer's transaction: rows and journal position together; a batch indexed twice is archived once. */
    @Test
    void indexingRecordsThePositionAndABatchIndexedAgainIsNotArchivedTwice() {
        var domain = juliet.asDomainBareJid();
        List<ArchiveRecord> batch = List.of(record(juliet, romeo, "a", 1000), record(jid("ghost@example.org"), romeo, "g", 1000),
                record(juliet, nurse, "b", 2000));
        assertThat(store.indexedPosition(domain)).isZero();

        store.index(domain, batch, 300);
        assertThat(store.indexedPosition(domain)).isEqualTo(300);
        // The position lost (a journal restored from a backup): the same records come again, with more.
        store.index(domain, List.of(batch.get(2), record(juliet, romeo, "c", 3000)), 500);

        assertThat(store.indexedPosition(domain)).isEqualTo(500);
        assertThat(store.indexedPosition(jid("x@example.com").asDomainBareJid())).isZero();
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("a", "b", "c");
    }

    @Test
    void replacesPreferencesAndReadsThemPerDomain() {
        ArchivePrefs prefs = new ArchivePrefs(ArchiveMode.ROSTER, Set.of(romeo.asBareJid()), Set.of(nurse.asBareJid()));

        assertThat(store.setPrefs(juliet, ArchivePrefs.of(ArchiveMode.ALWAYS))).isTrue();
        assertThat(store.setPrefs(juliet, prefs)).isTrue();
        assertThat(store.setPrefs(jid("ghost@example.org"), prefs)).isFalse();

        assertThat(store.allPrefs(juliet.asDomainBareJid())).containsExactly(java.util.Map.entry(juliet, prefs));
    }

    private List<Boolean> append(EntityBareJid owner, Jid with, Object... idsAndStamps) {
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int i = 0; i < idsAndStamps.length; i += 2) {
            String id = (String) idsAndStamps[i];
            ArchivedMessage message = new ArchivedMessage(id,
                    Instant.ofEpochMilli(((Number) idsAndStamps[i + 1]).longValue()), "<message id='" + id + "'/>");
            batch.add(new ArchiveRecord(owner, with, message));
        }
        return new ArrayList<>(store.appendAll(batch));
    }

    private static ArchiveRecord record(EntityBareJid owner, Jid with, String id, long stamp) {
        return new ArchiveRecord(owner, with, new ArchivedMessage(id, Instant.ofEpochMilli(stamp), "<message id='" + id + "'/>"));
    }

    private static ArchiveQuery query(Jid with, String after, String before, int max) {
        return new ArchiveQuery(with, null, null, null, null, List.of(), after, before, max, false);
    }
}
