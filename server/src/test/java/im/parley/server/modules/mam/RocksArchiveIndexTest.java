package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

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
        if (rocks != null) {
            rocks.close();
        }
        rocks = RocksArchiveIndex.open(indexDir.resolve("mam-archive").resolve("example.org"),
                jid("x@example.org").asDomainBareJid(), accounts::exists, false);
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
     * An index an earlier version wrote in RocksDB's leveled style (its files compacted into the
     * last level, as leveled compaction leaves them) opens in the universal style the index now
     * uses (docs/archive.md), reads as before and takes new messages.
     */
    @Test
    void anIndexWrittenInTheLeveledStyleOpensAndGoesOn() throws Exception {
        var domain = juliet.asDomainBareJid();
        store.index(domain, journaled(List.of(record(juliet, romeo, "a", 1000), record(juliet, romeo, "b", 2000))), 0, 200);
        rocks.close();
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");
        try (UInt64AddOperator add = new UInt64AddOperator();
             Options leveled = new Options().setMergeOperator(add).setCompactionStyle(CompactionStyle.LEVEL);
             RocksDB db = RocksDB.open(leveled, directory.toString())) {
            db.compactRange();
        }
        rocks = null;

        reopen();
        store.index(domain, journaled(List.of(record(juliet, romeo, "c", 3000))), 200, 300);

        assertThat(store.indexedPosition(domain)).isEqualTo(300);
        ArchivePage page = store.query(juliet, query(null, null, null, 10));
        assertThat(page.items()).extracting(ArchivedMessage::id).containsExactly("a", "b", "c");
        assertThat(page.count()).isEqualTo(3);
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

        Path latest;
        try (var files = Files.list(directory)) {
            latest = files.filter(file -> file.getFileName().toString().startsWith("OPTIONS-"))
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
        }
        String options = Files.readString(latest);
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
        rocks.close();
        Path directory = indexDir.resolve("mam-archive").resolve("example.org");
        byte[] entries = ArchiveKeys.key(ArchiveKeys.EXPIRY, ArchiveKeys.domainPrefix(domain));
        try (UInt64AddOperator add = new UInt64AddOperator();
             Options options = new Options().setMergeOperator(add).setCompactionStyle(CompactionStyle.UNIVERSAL);
             RocksDB db = RocksDB.open(options, directory.toString())) {
            assertThat(keysFrom(db, entries)).as("no purge entries written any more").isZero();
            // As the earlier version wrote them, for the two messages (seq 1 and 2).
            db.put(ArchiveKeys.key(entries, ArchiveKeys.position(1000, 1), ArchiveKeys.owner(juliet)),
                    ArchiveKeys.value("old", romeo.toString(), ""));
            db.put(ArchiveKeys.key(entries, ArchiveKeys.position(5000, 2), ArchiveKeys.owner(juliet)),
                    ArchiveKeys.value("new", romeo.toString(), ""));
        }
        rocks = null;
        reopen();

        assertThat(store.purge(domain, Instant.ofEpochMilli(2000))).isEqualTo(1);
        assertThat(store.query(juliet, query(null, null, null, 10)).items()).extracting(ArchivedMessage::id)
                .containsExactly("new");
        rocks.close();
        try (UInt64AddOperator add = new UInt64AddOperator();
             Options options = new Options().setMergeOperator(add).setCompactionStyle(CompactionStyle.UNIVERSAL);
             RocksDB db = RocksDB.open(options, directory.toString())) {
            assertThat(keysFrom(db, entries)).as("the newer message's entry stays until its time comes").isEqualTo(1);
        }
        rocks = null;
        reopen();
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
