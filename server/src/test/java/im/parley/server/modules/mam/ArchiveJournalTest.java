package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.core.jid.Jids;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveJournal}: records come back whole and in order, positions never go back, a torn
 * or corrupt tail (a crash during a write) is cut when the journal opens, and segments are
 * deleted once indexed. What it keeps is what a client was told is handled (XEP-0198 §4), in
 * the order it was sent (RFC 6120 §10.1).
 */
class ArchiveJournalTest {

    private static final long LARGE = 1 << 20;

    @TempDir
    Path dir;

    private static ArchiveRecord record(String id) {
        try {
            return new ArchiveRecord(Jids.parseEntityBare("juliet@parley.test"), Jids.parse("romeo@parley.test/orchard"),
                    new ArchivedMessage(id, Instant.ofEpochMilli(1000 + id.length()),
                            "<message xmlns='jabber:client' id='" + id + "'><body>wherefore art thou, ü</body></message>"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<ArchiveRecord> records(String... ids) {
        return List.of(ids).stream().map(ArchiveJournalTest::record).toList();
    }

    private static List<String> ids(List<ArchiveJournal.Entry> entries) {
        return entries.stream().map(entry -> entry.record().message().id()).toList();
    }

    @Test
    void appendedRecordsComeBackWholeInOrderWithTheirEndPositions() throws IOException {
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, LARGE)) {
            long first = journal.append(records("a", "b"));
            long second = journal.append(records("c"));

            List<ArchiveJournal.Entry> all = journal.read(0, 10);
            assertThat(all).extracting(ArchiveJournal.Entry::record).containsExactlyElementsOf(records("a", "b", "c"));
            assertThat(all.get(1).end()).isEqualTo(first);
            assertThat(all.get(2).end()).isEqualTo(second).isEqualTo(journal.end());
            assertThat(ids(journal.read(all.get(0).end(), 1))).containsExactly("b");
            assertThat(journal.read(second, 10)).isEmpty();
        }
    }

    /**
     * Records are read a window at a time ({@link ArchiveJournal#READ_WINDOW}): those that cross
     * a window's end, and one larger than a window, come back whole, in order, with their end
     * positions, across segments too, however many are asked for at once.
     */
    @Test
    void recordsAcrossReadWindowsAndLargerThanOneComeBackWhole() throws IOException {
        List<ArchiveRecord> written = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            written.add(record("m" + i + "x".repeat(i % 97)));
        }
        written.add(1500, record("large" + "y".repeat(ArchiveJournal.READ_WINDOW + 1000)));
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, 400_000)) {
            for (int from = 0; from < written.size(); from += 250) {
                journal.append(written.subList(from, Math.min(written.size(), from + 250)));
            }
            assertThat(journal.segmentFiles()).as("more than one segment").hasSizeGreaterThan(1);

            List<ArchiveJournal.Entry> all = journal.read(0, written.size() + 10);
            assertThat(all).extracting(ArchiveJournal.Entry::record).containsExactlyElementsOf(written);
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).end()).isGreaterThan(all.get(i - 1).end());
            }
            assertThat(all.get(all.size() - 1).end()).isEqualTo(journal.end());

            List<ArchiveRecord> inSteps = new ArrayList<>();
            long position = 0;
            for (List<ArchiveJournal.Entry> step; !(step = journal.read(position, 333)).isEmpty(); ) {
                step.forEach(entry -> inSteps.add(entry.record()));
                position = step.get(step.size() - 1).end();
            }
            assertThat(inSteps).containsExactlyElementsOf(written);
        }
    }

    /**
     * An append is encoded into a reusable buffer of {@link ArchiveJournal#WRITE_BUFFER} bytes and
     * written whenever it fills: a batch of several buffers, with a record larger than the buffer
     * in it, comes back whole and in order, and so does the append after it.
     */
    @Test
    void anAppendLargerThanTheWriteBufferIsWrittenWholeInOrder() throws IOException {
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(record("b" + i + "z".repeat(i % 131)));
        }
        batch.add(2500, record("large" + "y".repeat(ArchiveJournal.WRITE_BUFFER + 10)));
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, LARGE * 64)) {
            long end = journal.append(batch);
            long after = journal.append(records("next"));

            assertThat(end).isGreaterThan(3L * ArchiveJournal.WRITE_BUFFER);
            List<ArchiveJournal.Entry> all = journal.read(0, batch.size() + 10);
            assertThat(all).extracting(ArchiveJournal.Entry::record)
                    .containsExactlyElementsOf(java.util.stream.Stream.concat(batch.stream(), records("next").stream()).toList());
            assertThat(all.get(batch.size() - 1).end()).isEqualTo(end);
            assertThat(all.get(batch.size()).end()).isEqualTo(after).isEqualTo(journal.end());
        }
    }

    @Test
    void theJournalIsTheOwnersAlone() throws IOException {
        Path journalDir = dir.resolve("mam-journal").resolve("parley.test");
        try (ArchiveJournal journal = ArchiveJournal.open(journalDir, 0, false, LARGE)) {
            journal.append(records("a"));
            assertThat(Files.getPosixFilePermissions(journalDir)).isEqualTo(OwnerOnlyFiles.DIRECTORY);
            assertThat(journal.segmentFiles()).singleElement()
                    .satisfies(file -> assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OwnerOnlyFiles.FILE));
        }
    }

    @Test
    void aTornTailIsCutWhenTheJournalOpensAndWritingGoesOnAfterTheLastWholeRecord() throws IOException {
        long afterB;
        Path segment;
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, LARGE)) {
            afterB = journal.append(records("a", "b"));
            journal.append(records("c"));
            segment = journal.segmentFiles().get(0);
        }
        // A crash in the middle of writing c: only part of it reached the file.
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(segment) - 5);
        }

        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, LARGE)) {
            assertThat(journal.end()).isEqualTo(afterB);
            assertThat(Files.size(segment)).isEqualTo(afterB);
            journal.append(records("d"));
            assertThat(ids(journal.read(0, 10))).containsExactly("a", "b", "d");
        }
    }

    @Test
    void aRecordThatFailsItsChecksumEndsTheJournalWithEverySegmentAfterIt() throws IOException {
        long afterA;
        List<Path> segments;
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, 1)) { // a segment per write
            afterA = journal.append(records("a"));
            journal.append(records("b"));
            journal.append(records("c"));
            segments = journal.segmentFiles();
        }
        assertThat(segments).hasSize(4);
        // A byte of b's stanza changed on disk.
        try (FileChannel channel = FileChannel.open(segments.get(1), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long last = channel.size() - 3;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, last);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 1)}), last);
        }

        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, 1)) {
            assertThat(journal.end()).isEqualTo(afterA);
            assertThat(ids(journal.read(0, 10))).containsExactly("a");
            assertThat(Files.exists(segments.get(2))).isFalse();
            assertThat(Files.exists(segments.get(3))).isFalse();
        }
    }

    @Test
    void segmentsRollOverAreReadAcrossAndThoseIndexedAreDeleted() throws IOException {
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, 600)) {
            for (int i = 0; i < 10; i++) {
                journal.append(records("m" + i, "n" + i));
            }
            List<Path> segments = journal.segmentFiles();
            assertThat(segments).hasSizeGreaterThan(3);
            List<ArchiveJournal.Entry> all = journal.read(0, 100);
            assertThat(all).hasSize(20);

            long indexed = all.get(11).end();
            journal.release(indexed);

            assertThat(journal.segmentFiles()).hasSizeLessThan(segments.size()).isNotEmpty();
            assertThat(journal.start()).isLessThanOrEqualTo(indexed);
            assertThat(segments.stream().filter(Files::exists).toList()).isEqualTo(journal.segmentFiles());
            assertThat(ids(journal.read(indexed, 100)))
                    .containsExactlyElementsOf(IntStream.range(6, 10).boxed().flatMap(i -> List.of("m" + i, "n" + i).stream()).toList());

            journal.release(journal.end());
            assertThat(journal.segmentFiles()).as("the segment written to stays").hasSize(1);
        }
    }

    @Test
    void aJournalWithNothingLeftStartsWhereTheDatabaseIndexedSoPositionsNeverGoBack() throws IOException {
        long end;
        try (ArchiveJournal journal = ArchiveJournal.open(dir, 0, false, 1)) {
            end = journal.append(records("a", "b"));
            journal.release(end);
        }
        try (ArchiveJournal journal = ArchiveJournal.open(dir, end, false, 1)) {
            assertThat(journal.end()).isEqualTo(end);
            journal.append(records("c"));
            assertThat(ids(journal.read(end, 10))).containsExactly("c");
        }
        Path empty = dir.resolve("elsewhere");
        try (ArchiveJournal journal = ArchiveJournal.open(empty, 12_345, true, LARGE)) {
            assertThat(journal.start()).isEqualTo(12_345);
            journal.append(records("d"));
            assertThat(ids(journal.read(12_345, 10))).containsExactly("d");
        }
    }
}
