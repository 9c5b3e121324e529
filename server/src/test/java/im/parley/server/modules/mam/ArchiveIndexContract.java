package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * What every {@link ArchiveIndex} does, on H2 and PostgreSQL (for the accounts): archive order by
 * (stamp, arrival), filters and RSM pages (XEP-0313 §4.1, XEP-0059 §2), expiry, deletion with the
 * account, the indexer's idempotent batches.
 */
abstract class ArchiveIndexContract extends StoreContract {
    protected ArchiveIndex store;
    protected EntityBareJid juliet;
    protected Jid romeo;
    protected Jid nurse;

    /** The index under test, on the module's schema (its preferences, the accounts). */
    protected abstract ArchiveIndex open(DataSource schema) throws Exception;

    /** Deletes the account as the server does: with the index's hooks. */
    protected abstract void deleteAccount(EntityBareJid account);

    @BeforeEach
    void open() throws Exception {
        store = open(moduleSchema("mam", "classpath:db/mam"));
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
                .isInstanceOf(ArchiveIndex.UnknownIdException.class);
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
        assertThat(store.query(juliet, query(romeo.asBareJid(), null, null, 10)).count()).isEqualTo(1);

        deleteAccount(juliet);
        assertThat(store.ends(juliet)).isEmpty();
    }

    /** The indexer's transaction: rows and journal position together; a batch indexed twice is archived once. */
    @Test
    void indexingRecordsThePositionAndABatchIndexedAgainIsNotArchivedTwice() {
        var domain = juliet.asDomainBareJid();
        List<ArchiveRecord> batch = List.of(record(juliet, romeo, "a", 1000), record(jid("ghost@example.org"), romeo, "g", 1000),
                record(juliet, nurse, "b", 2000));
        assertThat(store.indexedPosition(domain)).isZero();

        store.index(domain, journaled(batch), 0, 300);
        assertThat(store.indexedPosition(domain)).isEqualTo(300);
        // The position lost (a journal restored from a backup): the same records come again, with more.
        store.index(domain, journaled(List.of(batch.get(2), record(juliet, romeo, "c", 3000))), 200, 500);

        assertThat(store.indexedPosition(domain)).isEqualTo(500);
        assertThat(store.indexedPosition(jid("x@example.com").asDomainBareJid())).isZero();
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("a", "b", "c");
    }

    /** XEP-0313 §4.1.1 with a bare JID, paged both ways through the conversation (XEP-0059 §2.2, §2.5). */
    @Test
    void pagesAConversationBothWaysAndCountsItsMatches() {
        append(juliet, romeo, "r1", 1000);
        append(juliet, nurse, "n1", 1000);
        append(juliet, romeo, "r2", 2000, "r3", 3000, "r4", 4000);
        Jid bare = romeo.asBareJid();

        ArchivePage first = store.query(juliet, new ArchiveQuery(bare, null, null, null, null, List.of(), null, null, 2, false));
        assertThat(first.items()).extracting(ArchivedMessage::id).containsExactly("r1", "r2");
        assertThat(first.count()).isEqualTo(4);
        assertThat(first.complete()).isFalse();
        ArchivePage last = store.query(juliet, new ArchiveQuery(bare, null, null, null, null, List.of(), null, "", 3, false));
        assertThat(last.items()).extracting(ArchivedMessage::id).containsExactly("r2", "r3", "r4");
        assertThat(last.complete()).isFalse();
        ArchivePage before = store.query(juliet, new ArchiveQuery(bare, null, null, null, null, List.of(), null, "r2", 3, false));
        assertThat(before.items()).extracting(ArchivedMessage::id).containsExactly("r1");
        assertThat(before.complete()).isTrue();
        assertThat(store.query(juliet, query(null, null, null, 0)).count()).isEqualTo(5);
        assertThat(store.query(juliet, query(null, null, null, 0)).items()).isEmpty();
        assertThat(store.size(juliet.asDomainBareJid())).isEqualTo(5);
    }

    /** The extended after-id, before-id and ids filters (XEP-0313 §4.1.3 with urn:xmpp:mam:2#extended). */
    @Test
    void filtersByIdsAndIdBoundsAndRefusesUnknownIds() {
        append(juliet, romeo, "a", 1000, "b", 2000, "c", 3000, "d", 4000, "e", 5000);

        ArchiveQuery between = new ArchiveQuery(null, null, null, "a", "e", List.of(), null, null, 10, false);
        assertThat(store.query(juliet, between).items()).extracting(ArchivedMessage::id).containsExactly("b", "c", "d");
        assertThat(store.query(juliet, between).count()).isEqualTo(3);
        ArchiveQuery ids = new ArchiveQuery(null, null, null, null, null, List.of("d", "b", "e"), null, null, 2, false);
        ArchivePage page = store.query(juliet, ids);
        assertThat(page.items()).extracting(ArchivedMessage::id).containsExactly("b", "d");
        assertThat(page.count()).isEqualTo(3);
        assertThat(page.complete()).isFalse();
        ArchiveQuery idsAfter = new ArchiveQuery(null, null, null, null, null, List.of("d", "b", "e"), "d", null, 2, false);
        assertThat(store.query(juliet, idsAfter).items()).extracting(ArchivedMessage::id).containsExactly("e");
        ArchiveQuery idsLast = new ArchiveQuery(null, null, null, null, null, List.of("d", "b", "e"), null, "", 2, false);
        assertThat(store.query(juliet, idsLast).items()).extracting(ArchivedMessage::id).containsExactly("d", "e");
        ArchiveQuery unknown = new ArchiveQuery(null, null, null, null, null, List.of("a", "zz"), null, null, 2, false);
        assertThatThrownBy(() -> store.query(juliet, unknown)).isInstanceOf(ArchiveIndex.UnknownIdException.class);
        ArchiveQuery unknownAfterId = new ArchiveQuery(null, null, null, "zz", null, List.of(), null, null, 2, false);
        assertThatThrownBy(() -> store.query(juliet, unknownAfterId)).isInstanceOf(ArchiveIndex.UnknownIdException.class);
    }

    /** What MUC moderation (XEP-0425) and the offline/MUC history reads use: latest, stanza, replace. */
    @Test
    void readsTheNewestAndOneStanzaAndReplacesIt() {
        append(juliet, romeo, "a", 1000, "b", 2000, "c", 3000);

        assertThat(store.latest(juliet, 2)).extracting(ArchivedMessage::id).containsExactly("b", "c");
        assertThat(store.latest(juliet, 0)).isEmpty();
        assertThat(store.stanza(juliet, "b")).contains("<message id='b'/>");
        assertThat(store.stanza(juliet, "zz")).isEmpty();
        assertThat(store.replace(juliet, "b", "<message id='b'><retracted/></message>")).isTrue();
        assertThat(store.replace(juliet, "zz", "<message/>")).isFalse();
        assertThat(store.stanza(juliet, "b")).contains("<message id='b'><retracted/></message>");
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::stamp)
                .containsExactly(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), Instant.ofEpochMilli(3000));
    }

    /** One archive deleted leaves the others; a deleted archive starts again empty. */
    @Test
    void deletesOneArchiveOnly() {
        EntityBareJid other = account("tybalt@example.org");
        append(juliet, romeo, "a", 1000, "b", 2000);
        append(other, romeo, "t", 1000);

        store.delete(juliet);

        assertThat(store.ends(juliet)).isEmpty();
        assertThat(store.query(juliet, query(null, null, null, 10)).count()).isZero();
        assertThat(store.stanza(juliet, "a")).isEmpty();
        assertThat(store.query(other, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id).containsExactly("t");
        assertThat(store.size(juliet.asDomainBareJid())).isEqualTo(1);
        append(juliet, romeo, "a", 3000);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id).containsExactly("a");
        assertThat(store.query(juliet, query(romeo.asBareJid(), null, null, 10)).count()).isEqualTo(1);
        assertThat(store.purge(juliet.asDomainBareJid(), Instant.ofEpochMilli(10_000))).isEqualTo(2);
        assertThat(store.size(juliet.asDomainBareJid())).isZero();
    }

    protected List<Boolean> append(EntityBareJid owner, Jid with, Object... idsAndStamps) {
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int i = 0; i < idsAndStamps.length; i += 2) {
            String id = (String) idsAndStamps[i];
            ArchivedMessage message = new ArchivedMessage(id,
                    Instant.ofEpochMilli(((Number) idsAndStamps[i + 1]).longValue()), "<message id='" + id + "'/>");
            batch.add(new ArchiveRecord(owner, with, message));
        }
        return new ArrayList<>(store.appendAll(batch));
    }

    /** The records as the journal holds them (the indexer's batch). */
    protected static List<JournalRecord> journaled(List<ArchiveRecord> records) {
        return records.stream().map(JournalRecord::of).toList();
    }

    protected static ArchiveRecord record(EntityBareJid owner, Jid with, String id, long stamp) {
        return new ArchiveRecord(owner, with, new ArchivedMessage(id, Instant.ofEpochMilli(stamp), "<message id='" + id + "'/>"));
    }

    protected static ArchiveQuery query(Jid with, String after, String before, int max) {
        return new ArchiveQuery(with, null, null, null, null, List.of(), after, before, max, false);
    }
}
