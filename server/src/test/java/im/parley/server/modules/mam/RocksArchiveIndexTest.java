package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.storage.JdbcAccountStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.rocksdb.CompactionStyle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.UInt64AddOperator;

/**
 * {@link RocksArchiveIndex}, the archive with the embedded database: the {@link ArchiveIndexContract}
 * (with the accounts on H2 or PostgreSQL), what it keeps across a restart, its directory's
 * permissions, and the move of an older installation's {@code mam_messages} rows into it.
 */
class RocksArchiveIndexTest extends ArchiveIndexContract {

    @TempDir
    Path indexDir;
    private DataSource schema;
    private JdbcAccountStore accounts;
    private RocksArchiveIndex rocks;

    @Override
    protected ArchiveIndex open(DataSource moduleSchema) {
        schema = moduleSchema;
        accounts = new JdbcAccountStore(dataSource());
        accounts.beforeDelete(account -> rocks.delete(account));
        return reopen();
    }

    private RocksArchiveIndex reopen() {
        return reopen(ArchiveCounts.Limits.DEFAULT);
    }

    private RocksArchiveIndex reopen(ArchiveCounts.Limits countLimits) {
        if (rocks != null) {
            rocks.close();
        }
        rocks = RocksArchiveIndex.open(indexDir.resolve("mam-archive").resolve("example.org"),
                jid("x@example.org").asDomainBareJid(), accounts::exists, false, countLimits);
        store = rocks;
        return rocks;
    }

    @AfterEach
    void closeIndex() {
        rocks.close();
    }

    @Override
    protected void deleteAccount(EntityBareJid account) {
        accounts.delete(account);
    }

    /** Closed and opened again: messages, counts, ids, the position and the arrival order go on. */
    @Test
    void keepsEverythingAcrossARestart() {
        var domain = juliet.asDomainBareJid();
        store.index(domain, journaled(List.of(record(juliet, romeo, "a", 1000), record(juliet, romeo, "b", 1000))), 0, 200);

        reopen();
        store.index(domain, journaled(List.of(record(juliet, romeo, "c", 1000), record(juliet, romeo, "a", 1000))), 150, 300);

        assertThat(store.indexedPosition(domain)).isEqualTo(300);
        ArchivePage page = store.query(juliet, query(null, null, null, 10));
        assertThat(page.items()).extracting(ArchivedMessage::id).containsExactly("a", "b", "c");
        assertThat(page.count()).isEqualTo(3);
        assertThat(store.size(domain)).isEqualTo(3);
    }

    /**
     * An index an earlier layout wrote (version 2: one column family, each row holding its stanza,
     * its files compacted in RocksDB's leveled style as earlier versions did) opens as is: its
     * rows read with their stanzas, new messages keep their stanzas in the family of stanzas
     * ({@link RocksArchiveStanzas}), and moderating, counting and deleting treat both alike.
     */
    @Test
    void anIndexOfAnEarlierLayoutWithStanzasInItsRowsOpensAndGoesOn() throws Exception {
        var domain = juliet.asDomainBareJid();
        store.index(domain, journaled(List.of(record(juliet, romeo, "a", 1000), record(juliet, romeo, "b", 2000))), 0, 200);
        withTheIndexClosed(raw -> {
            // Each stanza back into its row, and the family of stanzas gone: the layout of version 2.
            try (var rows = raw.db().newIterator()) {
                for (rows.seek(new byte[] {ArchiveKeys.ROW}); rows.isValid() && rows.key()[0] == ArchiveKeys.ROW; rows.next()) {
                    byte[] key = rows.key();
                    byte[] position = java.util.Arrays.copyOfRange(key, key.length - ArchiveKeys.POSITION, key.length);
                    byte[] owned = java.util.Arrays.copyOfRange(key, 1, key.length - ArchiveKeys.POSITION);
                    byte[] stanza = raw.db().get(raw.stanzas(), RocksArchiveStanzas.key(position, owned));
                    String[] fields = ArchiveKeys.fields(rows.value());
                    raw.db().put(key, ArchiveKeys.value(fields[0], fields[1], new String(stanza, java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            raw.db().dropColumnFamily(raw.stanzas());
        });
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");
        try (UInt64AddOperator add = new UInt64AddOperator();
             Options leveled = new Options().setMergeOperator(add).setCompactionStyle(CompactionStyle.LEVEL);
             RocksDB db = RocksDB.open(leveled, directory.toString())) {
            assertThat(RocksDB.listColumnFamilies(leveled, directory.toString())).hasSize(1);
            db.compactRange();
        }

        reopen();
        store.index(domain, journaled(List.of(record(juliet, romeo, "c", 3000))), 200, 300);

        assertThat(store.indexedPosition(domain)).isEqualTo(300);
        ArchivePage page = store.query(juliet, query(null, null, null, 10));
        assertThat(page.items()).extracting(ArchivedMessage::id).containsExactly("a", "b", "c");
        assertThat(page.items()).extracting(ArchivedMessage::stanzaXml).allSatisfy(xml -> assertThat(xml).startsWith("<message"));
        assertThat(page.count()).isEqualTo(3);
        assertThat(store.replace(juliet, "a", "<message id='tombstone'/>")).isTrue();
        assertThat(store.replace(juliet, "c", "<message id='tombstone2'/>")).isTrue();
        assertThat(store.stanza(juliet, "a")).contains("<message id='tombstone'/>");
        assertThat(store.stanza(juliet, "c")).contains("<message id='tombstone2'/>");
        withTheIndexClosed(raw -> assertThat(keysOf(raw.db(), raw.stanzas())).as("c's stanza, in its family").isEqualTo(1));

        reopen();
        deleteAccount(juliet);
        withTheIndexClosed(raw -> assertThat(keysOf(raw.db(), raw.stanzas())).as("deleted with its account").isZero());
        reopen();
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).isEmpty();
    }

    /**
     * The stanzas are kept in their own column family, in time order and compacted in RocksDB's
     * leveled style (their files move down unwritten, docs/benchmarks.md "Stanzas in time order"),
     * the rows without them; a purged message's stanza goes with it.
     */
    @Test
    void keepsTheStanzasInTimeOrderInAFamilyOfTheirOwn() throws Exception {
        var domain = juliet.asDomainBareJid();
        EntityBareJid tybalt = account("tybalt@example.org");
        store.index(domain, journaled(List.of(record(juliet, romeo, "old", 1000), record(juliet, nurse, "new", 5000),
                record(tybalt, juliet, "t", 2000))), 0, 200);
        withTheIndexClosed(raw -> {
            List<byte[]> keys = new java.util.ArrayList<>();
            try (var stanzas = raw.db().newIterator(raw.stanzas())) {
                for (stanzas.seekToFirst(); stanzas.isValid(); stanzas.next()) {
                    keys.add(stanzas.key());
                    assertThat(new String(stanzas.value(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("<message");
                }
            }
            assertThat(keys).extracting(key -> java.nio.ByteBuffer.wrap(key).getLong()).containsExactly(1000L, 2000L, 5000L);
            try (var rows = raw.db().newIterator()) {
                for (rows.seek(new byte[] {ArchiveKeys.ROW}); rows.isValid() && rows.key()[0] == ArchiveKeys.ROW; rows.next()) {
                    assertThat(ArchiveKeys.fields(rows.value())[2]).as("no stanza in the row").isEmpty();
                }
            }
        });
        reopen();

        assertThat(store.purge(domain, Instant.ofEpochMilli(3000))).isEqualTo(2);

        withTheIndexClosed(raw -> assertThat(keysOf(raw.db(), raw.stanzas())).isEqualTo(1));
        reopen();
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("new");
        String options = latestOptions(indexDir.resolve("mam-archive").resolve("example.org"));
        assertThat(options.substring(options.indexOf("[CFOptions \"stanzas\"]")))
                .contains("compaction_style=kCompactionStyleLevel");
    }

    /**
     * XEP-0313 §3.2 leaves retention to the server: the purge deletes the expired messages' rows
     * and stanzas, and drops whole the stanzas' files that hold nothing newer than the cutoff
     * (their keys are in time order), so the disk comes back at once rather than when compactions
     * reach those files; a file with a newer stanza stays.
     */
    @Test
    void thePurgeDropsTheStanzasFilesThatHoldOnlyExpiredMessages() throws Exception {
        var domain = juliet.asDomainBareJid();
        store.index(domain, journaled(List.of(record(juliet, romeo, "old1", 1000), record(juliet, nurse, "old2", 2000))),
                0, 100);
        // Flushed and compacted down: a file below level 0, all of whose stanzas will expire.
        withTheIndexClosed(raw -> {
            try (var flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                raw.db().flush(flush, raw.families());
            }
            raw.db().compactRange(raw.stanzas());
        });
        reopen();
        store.index(domain, journaled(List.of(record(juliet, romeo, "new", 9000))), 100, 200);
        withTheIndexClosed(raw -> assertThat(stanzaFiles(raw)).as("the old file, then the new one").hasSize(2));
        reopen();

        assertThat(store.purge(domain, Instant.ofEpochMilli(5000))).isEqualTo(2);

        // What holds stanzas (the purge's tombstones, flushed when the index closed, hold none).
        withTheIndexClosed(raw -> assertThat(stanzaFiles(raw)).filteredOn(file -> file.numEntries() > file.numDeletions())
                .extracting(file -> java.nio.ByteBuffer.wrap(file.largestKey()).getLong())
                .as("the expired file dropped whole").containsExactly(9000L));
        reopen();
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::stanzaXml)
                .containsExactly("<message id='new'/>");
    }

    /** The options RocksDB recorded last in the index's directory (its newest OPTIONS file). */
    private static String latestOptions(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return Files.readString(files.filter(file -> file.getFileName().toString().startsWith("OPTIONS-"))
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow());
        }
    }

    private static List<org.rocksdb.LiveFileMetaData> stanzaFiles(RawIndex raw) {
        return raw.db().getLiveFilesMetaData().stream()
                .filter(file -> new String(file.columnFamilyName(), java.nio.charset.StandardCharsets.UTF_8).equals("stanzas"))
                .toList();
    }

    /**
     * A full JID's {@code <count/>} walks at most {@value RocksArchiveReads#COUNT_LIMIT} of the
     * archive's messages, matches or not: past that it is the matches among them, a lower bound
     * (XEP-0059 §2.7: a count "MAY be approximate ... if determining the exact number of items
     * would be resource-intensive"), and the page itself is exact.
     */
    @Test
    void aFullJidsCountWalksAtMostTheLimitOfMessages() {
        int messages = RocksArchiveReads.COUNT_LIMIT + 2_000;
        List<ArchiveRecord> all = new java.util.ArrayList<>();
        for (int i = 0; i < messages; i++) {
            all.add(record(juliet, i % 2 == 0 ? romeo : nurse, "m" + i, 1000 + i));
        }
        store.appendAll(all);

        ArchivePage page = store.query(juliet, query(romeo, null, "", 50));

        assertThat(page.count()).as("romeo's among the first %d", RocksArchiveReads.COUNT_LIMIT)
                .isEqualTo(RocksArchiveReads.COUNT_LIMIT / 2);
        assertThat(page.items()).hasSize(50).extracting(ArchivedMessage::id)
                .endsWith("m" + (messages - 2));
        assertThat(store.query(juliet, query(romeo.asBareJid(), null, null, 0)).count())
                .as("a bare JID's count is exact (checkpoints)").isEqualTo(messages / 2);
    }

    /**
     * An index that opens but is then refused (here its count of openings is not a number) is
     * closed again: it keeps no lock on its directory, and the next open in the same process,
     * once the fault is mended, succeeds.
     */
    @Test
    void anIndexRefusedAfterOpeningIsClosedAgain() throws Exception {
        rocks.close();
        rocks = null;
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");
        byte[] openings = setOpenings(directory, new byte[] {1, 2, 3});

        assertThatThrownBy(this::reopen).isInstanceOf(RuntimeException.class);

        setOpenings(directory, openings);
        reopen();
        assertThat(store.indexedPosition(juliet.asDomainBareJid())).isZero();
    }

    /** Sets the index's count of openings (PositionIds' {@code o} key) to {@code value}; returns the old value. */
    private static byte[] setOpenings(Path directory, byte[] value) throws Exception {
        try (RawIndex raw = RawIndex.open(directory)) {
            byte[] old = raw.db().get(PositionIds.OPENINGS);
            raw.db().put(PositionIds.OPENINGS, value);
            return old;
        }
    }

    /**
     * The compaction the index runs with, as RocksDB records it in the directory's OPTIONS file:
     * universal, up to 8 sorted runs before a compaction and at least 4 merged at a time (with
     * RocksDB's 4 and 2 a steady rate merged every flush into a large run: docs/benchmarks.md,
     * "Fewer hand-offs and compactions"). Applies to an index opened again, as options do.
     */
    @Test
    void compactsUniversalWithRoomForEightRunsMergedFourOrMoreAtATime() throws Exception {
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");
        reopen();

        String options = latestOptions(directory);
        assertThat(options).contains("compaction_style=kCompactionStyleUniversal")
                .contains("level0_file_num_compaction_trigger=8")
                .containsPattern("compaction_options_universal=\\{[^}]*min_merge_width=4;");
    }

    /**
     * An index written by an earlier version holds a purge entry ({@code e} domain, position,
     * owner) per message; messages are no longer written with one, and the purge, which walks each
     * account's rows, deletes the old entries of the time it purges along with their messages.
     */
    @Test
    void thePurgeDeletesThePurgeEntriesOfAnEarlierVersionWithTheirMessages() throws Exception {
        var domain = juliet.asDomainBareJid();
        store.index(domain, journaled(List.of(record(juliet, romeo, "old", 1000), record(juliet, romeo, "new", 5000))),
                0, 200);
        byte[] entries = ArchiveKeys.key(ArchiveKeys.EXPIRY, ArchiveKeys.domainPrefix(domain));
        withTheIndexClosed(raw -> {
            RocksDB db = raw.db();
            assertThat(keysFrom(db, entries)).as("no purge entries written any more").isZero();
            // As the earlier version wrote them, for the two messages (seq 1 and 2).
            db.put(ArchiveKeys.key(entries, ArchiveKeys.position(1000, 1), ArchiveKeys.owner(juliet)),
                    ArchiveKeys.value("old", romeo.toString(), ""));
            db.put(ArchiveKeys.key(entries, ArchiveKeys.position(5000, 2), ArchiveKeys.owner(juliet)),
                    ArchiveKeys.value("new", romeo.toString(), ""));
        });
        reopen();

        assertThat(store.purge(domain, Instant.ofEpochMilli(2000))).isEqualTo(1);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("new");
        withTheIndexClosed(raw -> {
            RocksDB db = raw.db();
            assertThat(keysFrom(db, entries)).as("the newer message's entry stays until its time comes").isEqualTo(1);
        });
        reopen();
    }

    /**
     * XEP-0059 §2.6 counts without a key per archived copy ({@link ArchiveCounts}): from a
     * checkpoint and a bounded walk. Here a walk takes at most 5 keys and a checkpoint settles
     * at once (no margin), so that every path runs: a count under the walk limit is a lower
     * bound that grows query by query (§2.7: "MAY be approximate") until it is exact; a message
     * with an old stamp (an import) adds itself below the checkpoint; the purge and a deleted
     * account take theirs off; and all of it holds across a restart.
     */
    @Test
    void countsFromCheckpointsBecomeExactAndStayExactThroughOldStampsPurgesAndDeletion() {
        ArchiveCounts.Limits limits = new ArchiveCounts.Limits(0, 5, 2, 2);
        reopen(limits);
        var domain = juliet.asDomainBareJid();
        List<ArchiveRecord> records = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            records.add(record(juliet, i % 2 == 0 ? romeo : nurse, "m" + i, i * 1000L));
        }
        store.index(domain, journaled(records), 0, 100);

        List<Integer> seen = new java.util.ArrayList<>();
        for (int q = 0; q < 6; q++) {
            seen.add(count(null));
        }
        assertThat(seen).as("lower bounds, growing to the exact count").isSorted().allMatch(count -> count <= 20)
                .endsWith(20, 20);
        assertThat(seen.get(0)).isEqualTo(5);
        for (int q = 0; q < 3; q++) {
            count(romeo);
        }
        assertThat(count(romeo)).isEqualTo(10);

        append(juliet, romeo, "imported", 500); // below both checkpoints
        assertThat(count(null)).isEqualTo(21);
        assertThat(count(romeo)).isEqualTo(11);
        assertThat(count(nurse)).isLessThanOrEqualTo(10);

        reopen(limits);
        assertThat(count(null)).isEqualTo(21);
        assertThat(count(romeo)).isEqualTo(11);

        // m1..m4 and the import are before 5 s: 5 go, 2 of them with the nurse.
        assertThat(store.purge(domain, Instant.ofEpochMilli(5000))).isEqualTo(5);
        assertThat(count(null)).isEqualTo(16);
        assertThat(count(romeo)).isEqualTo(8);
        for (int q = 0; q < 3; q++) {
            count(nurse);
        }
        assertThat(count(nurse)).isEqualTo(8);

        deleteAccount(juliet);
        juliet = account("juliet@example.org");
        store.index(domain, journaled(List.of(record(juliet, romeo, "again", 30_000))), 100, 200);
        assertThat(count(null)).isEqualTo(1);
        assertThat(count(romeo)).isEqualTo(1);
        assertThat(count(nurse)).isZero();
    }

    /**
     * Layout 1 kept the counts as RocksDB merge operands ({@code n} keys, one per copy and
     * conversation); opening such an index deletes them and counts every archive and
     * conversation once, so that the first counts are exact, not the lower bound of a walk
     * stopped at its limit (5 keys here; and one checkpoint per write, as a large index writes them in parts).
     */
    @Test
    void theCountKeysOfAnEarlierLayoutGoAndTheCountsAreExactFromTheFirstQuery() throws Exception {
        var domain = juliet.asDomainBareJid();
        List<ArchiveRecord> records = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            records.add(record(juliet, i % 4 == 0 ? nurse : romeo, "m" + i, i * 1000L));
        }
        store.index(domain, journaled(records), 0, 200);
        byte[] oldCount = ArchiveKeys.key(ArchiveKeys.COUNT, ArchiveKeys.owner(juliet));
        withTheIndexClosed(raw -> {
            RocksDB db = raw.db();
            db.delete(ArchiveKeys.VERSION);
            db.delete(ArchiveCounts.NEWEST);
            db.deleteRange(new byte[] {ArchiveCounts.CHECKPOINT}, new byte[] {ArchiveCounts.CHECKPOINT + 1});
            db.merge(oldCount, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(7).array());
        });
        reopen(new ArchiveCounts.Limits(ArchiveCounts.MARGIN_MS, 5, 2, 1));

        assertThat(count(null)).isEqualTo(20);
        assertThat(count(romeo)).isEqualTo(15);
        assertThat(count(nurse)).isEqualTo(5);
        store.index(domain, journaled(List.of(record(juliet, nurse, "late", 500), record(juliet, romeo, "new",
                System.currentTimeMillis()))), 200, 300);
        assertThat(count(null)).isEqualTo(22);
        assertThat(count(nurse)).isEqualTo(6);
        withTheIndexClosed(raw -> {
            RocksDB db = raw.db();
            assertThat(keysFrom(db, new byte[] {ArchiveKeys.COUNT})).isZero();
            assertThat(db.get(ArchiveKeys.VERSION)).isNotNull();
        });
        reopen();
    }

    /**
     * The ids the server gives are the messages' positions, encrypted ({@link PositionIds},
     * XEP-0359 §5: nothing about the archive can be read from them): the index finds a message by
     * such an id without an id key, alongside ids of other forms (earlier versions, imports), in
     * every lookup: RSM after/before, after-id, the ids filter, the stanza and its replacement.
     */
    @Test
    void idsThatArePositionsFindTheirMessagesWithoutAnIdKey() throws Exception {
        var domain = juliet.asDomainBareJid();
        String first = rocks.newId(1000);
        String second = rocks.newId(2000);
        String third = rocks.newId(3000);
        assertThat(List.of(first, second, third)).allMatch(id -> id.matches("[A-Za-z0-9_-]{22}")).doesNotHaveDuplicates();
        store.index(domain, journaled(List.of(record(juliet, romeo, first, 1000), record(juliet, romeo, "legacy", 1500),
                record(juliet, romeo, second, 2000), record(juliet, nurse, third, 3000))), 0, 100);

        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly(first, "legacy", second, third);
        assertThat(store.query(juliet, query(null, first, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("legacy", second, third);
        assertThat(store.query(juliet, query(null, null, third, 2)).items()).extracting(ArchivedMessage::id)
                .containsExactly("legacy", second);
        assertThat(store.query(juliet, new ArchiveQuery(null, null, null, second, null, List.of(), null, null, 10, false))
                .items()).extracting(ArchivedMessage::id).containsExactly(third);
        assertThat(store.query(juliet, new ArchiveQuery(null, null, null, null, null, List.of(third, "legacy"), null, null,
                10, false)).items()).extracting(ArchivedMessage::id).containsExactly("legacy", third);
        assertThat(store.stanza(juliet, second)).contains("<message id='" + second + "'/>");
        assertThat(store.replace(juliet, second, "<message id='tombstone'/>")).isTrue();
        assertThat(store.stanza(juliet, second)).contains("<message id='tombstone'/>");

        // Someone else's position, a 22-character id that is not one, the same id spelt otherwise.
        String tybalts = rocks.newId(4000);
        char last = first.charAt(21);
        String respelt = first.substring(0, 21) + (char) (last == 'A' ? 'B' : last ^ 1);
        for (String unknown : List.of(tybalts, "AAAAAAAAAAAAAAAAAAAAAA", respelt)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.query(juliet, query(null, unknown, null, 10)))
                    .isInstanceOf(ArchiveIndex.UnknownIdException.class);
            assertThat(store.stanza(juliet, unknown)).isEmpty();
        }

        // Indexed again (a journal read from before its recorded position): nothing twice.
        store.index(domain, journaled(List.of(record(juliet, romeo, first, 1000), record(juliet, romeo, "legacy", 1500))),
                0, 100);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).hasSize(4);

        byte[] idKeys = ArchiveKeys.key(ArchiveKeys.ID, ArchiveKeys.owner(juliet));
        withTheIndexClosed(raw -> assertThat(keysFrom(raw.db(), idKeys)).as("only the legacy id has a key").isEqualTo(1));
        reopen();
        assertThat(store.query(juliet, query(null, second, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly(third);

        assertThat(store.purge(domain, Instant.ofEpochMilli(2500))).isEqualTo(3);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly(third);
        withTheIndexClosed(raw -> assertThat(keysFrom(raw.db(), idKeys)).isZero());
        reopen();
    }

    /** XEP-0313 §6.2, XEP-0359: an id is never given twice, across restarts too (each opening has its own range). */
    @Test
    void positionIdsAreNeverGivenTwiceAcrossRestarts() {
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int opening = 0; opening < 3; opening++) {
            for (int i = 0; i < 1000; i++) {
                assertThat(given.add(rocks.newId(1000))).isTrue();
            }
            reopen();
        }
    }

    /** Closes the index, hands its database, opened raw as an earlier version would, to {@code work}, and leaves it closed. */
    private void withTheIndexClosed(RawWork work) throws Exception {
        rocks.close();
        rocks = null;
        try (RawIndex raw = RawIndex.open(indexDir.resolve("mam-archive").resolve("example.org"))) {
            work.on(raw);
        }
    }

    private interface RawWork {
        void on(RawIndex raw) throws Exception;
    }

    /**
     * The index's database opened raw, with every column family it has, each in the compaction
     * style the index gives it; {@link #stanzas} is null if it has no family of stanzas.
     */
    private record RawIndex(RocksDB db, List<org.rocksdb.ColumnFamilyHandle> families, UInt64AddOperator add,
                            List<org.rocksdb.ColumnFamilyOptions> options) implements AutoCloseable {

        static RawIndex open(Path directory) throws Exception {
            UInt64AddOperator add = new UInt64AddOperator();
            var index = new org.rocksdb.ColumnFamilyOptions().setMergeOperator(add)
                    .setCompactionStyle(CompactionStyle.UNIVERSAL);
            var stanzas = new org.rocksdb.ColumnFamilyOptions().setCompactionStyle(CompactionStyle.LEVEL);
            List<byte[]> names;
            try (Options listing = new Options()) {
                names = RocksDB.listColumnFamilies(listing, directory.toString());
            }
            List<org.rocksdb.ColumnFamilyDescriptor> descriptors = names.stream()
                    .map(name -> new org.rocksdb.ColumnFamilyDescriptor(name,
                            java.util.Arrays.equals(name, RocksArchiveOptions.STANZAS) ? stanzas : index))
                    .toList();
            List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
            try (org.rocksdb.DBOptions db = new org.rocksdb.DBOptions()) {
                return new RawIndex(RocksDB.open(db, directory.toString(), descriptors, handles), handles, add,
                        List.of(index, stanzas));
            }
        }

        org.rocksdb.ColumnFamilyHandle stanzas() {
            return families.size() > 1 ? families.get(1) : null;
        }

        @Override
        public void close() {
            families.forEach(org.rocksdb.ColumnFamilyHandle::close);
            db.close();
            options.forEach(org.rocksdb.ColumnFamilyOptions::close);
            add.close();
        }
    }

    private static int keysOf(RocksDB db, org.rocksdb.ColumnFamilyHandle family) {
        int count = 0;
        try (var keys = db.newIterator(family)) {
            for (keys.seekToFirst(); keys.isValid(); keys.next()) {
                count++;
            }
        }
        return count;
    }

    private int count(org.jxmpp.jid.Jid with) {
        return store.query(juliet, query(with == null ? null : with.asBareJid(), null, null, 0)).count();
    }

    private static int keysFrom(RocksDB db, byte[] prefix) {
        int count = 0;
        try (var keys = db.newIterator()) {
            for (keys.seek(prefix); keys.isValid() && startsWith(keys.key(), prefix); keys.next()) {
                count++;
            }
        }
        return count;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Like the rest of data_dir (docs/operations.md): only the server's user may enter the index's directory. */
    @Test
    void theIndexDirectoryIsTheServersUsersOnly() throws Exception {
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
    }

    /**
     * An installation from before the index: its rows in {@code mam_messages} (H2) move into the
     * index at the first start, in arrival order, with the journal position of {@code mam_journal},
     * and the table is emptied; moving them again
     * (a start interrupted before the table was emptied) archives none twice.
     */
    @Test
    void movesTheRowsOfTheDatabaseTableIntoTheIndexOnce() {
        JdbcArchiveStore table = new JdbcArchiveStore(schema);
        EntityBareJid other = account("tybalt@example.org");
        table.index(juliet.asDomainBareJid(), journaled(List.of(record(juliet, romeo, "old1", 1000),
                record(juliet, nurse, "old2", 1000), record(other, romeo, "old3", 2000))), 0, 700);
        store.appendAll(List.of(record(juliet, romeo, "new", 3000)));

        assertThat(rocks.migrate(table)).isEqualTo(3);
        assertThat(store.indexedPosition(juliet.asDomainBareJid())).as("the journal goes on where the table's indexing stood")
                .isEqualTo(700);
        assertThat(table.query(juliet, query(null, null, null, 10)).count()).isZero();
        table.appendAll(List.of(record(juliet, romeo, "imported", 500)));
        assertThat(rocks.migrate(table)).isEqualTo(1);
        assertThat(rocks.migrate(table)).isZero();

        ArchivePage page = store.query(juliet, query(null, null, null, 10));
        assertThat(page.items()).extracting(ArchivedMessage::id).containsExactly("imported", "old1", "old2", "new");
        assertThat(page.count()).isEqualTo(4);
        assertThat(store.query(juliet, query(romeo.asBareJid(), null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("imported", "old1", "new");
        assertThat(store.query(other, query(null, null, null, 10)).items()).extracting(ArchivedMessage::stamp)
                .containsExactly(Instant.ofEpochMilli(2000));
        assertThat(store.size(juliet.asDomainBareJid())).isEqualTo(5);
    }
}
