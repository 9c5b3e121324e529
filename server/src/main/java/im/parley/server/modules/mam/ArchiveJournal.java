package im.parley.server.modules.mam;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's append-only journal: a message counts as archived (XEP-0198 §4: handled) once its
 * {@link ArchiveRecord} is written here, a sequential write of every waiting record at once, and
 * the {@link ArchiveIndexer} moves records into the database later, thousands per transaction.
 * On the embedded database that is what makes the archive cheap: a commit there rewrites every
 * B-tree page it changed, so one transaction per message (or per small batch) cost an order of
 * magnitude more than the message itself (docs/benchmarks.md, "The archive journal").
 *
 * <p>A position is a byte offset in the journal as a whole, which never goes back: records are
 * kept in segment files ({@code <first position>.journal}, 0600, in a 0700 directory) of about
 * {@code segmentBytes} each, and a segment is deleted once the indexer has passed its end. A
 * write reaches the operating system before {@link #append} returns, so it survives the process
 * being killed; only with {@code fsync} does it also survive a power loss. A crash during a write
 * leaves a torn last record, which {@link #open} cuts off (records are length-prefixed with a
 * CRC-32C): those messages were never acknowledged.
 *
 * <p>One thread at a time appends ({@link ArchiveWriter} drains one batch at a time); one thread
 * at a time reads and releases (the indexer).
 */
final class ArchiveJournal implements AutoCloseable {

    /** A record, as written, and the position just after it. */
    record Entry(JournalRecord raw, long end) {
        /** The record decoded. */
        ArchiveRecord record() {
            return raw.record();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveJournal.class);
    private static final Pattern SEGMENT = Pattern.compile("(\\d{19})\\.journal");
    /**
     * How much of a segment the indexer reads at once: below half of G1's smallest region (1 MB),
     * so that it is an ordinary allocation, not a humongous one.
     */
    static final int READ_WINDOW = 256 * 1024;
    /** The bytes {@link #append} encodes before it writes them (several times per append if more). */
    static final int WRITE_BUFFER = 256 * 1024;

    private final Path directory;
    private final boolean fsync;
    private final long segmentBytes;
    /** First position of each segment, oldest first; the last is the one written to. */
    private final ConcurrentNavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    /**
     * Where {@link #append} encodes records: direct, so that the write reads it as it is (a heap
     * buffer is copied into a temporary direct one by every write), and reused, as one thread at
     * a time appends. Its size bounds the bytes of one write system call, not a batch.
     */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
    private FileChannel current;
    private long currentStart;
    private volatile long end;

    private ArchiveJournal(Path directory, boolean fsync, long segmentBytes) {
        this.directory = directory;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the journal in {@code directory}, creating it if needed, and cuts a torn tail. A new
     * or empty journal starts at {@code indexed}, the position the database says it has indexed,
     * so that positions never go back.
     */
    static ArchiveJournal open(Path directory, long indexed, boolean fsync, long segmentBytes) throws IOException {
        ArchiveJournal journal = new ArchiveJournal(OwnerOnlyFiles.createDirectories(directory), fsync, segmentBytes);
        journal.recover(indexed);
        return journal;
    }

    private void recover(long indexed) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> {
                Matcher name = SEGMENT.matcher(file.getFileName().toString());
                if (name.matches()) {
                    segments.put(Long.parseLong(name.group(1)), file);
                }
            });
        }
        long valid = -1;
        for (Map.Entry<Long, Path> segment : List.copyOf(segments.entrySet())) {
            if (valid >= 0 && segment.getKey() != valid) {
                discard(segment.getKey(), "it does not continue the segment before it");
                continue;
            }
            long length = Files.size(segment.getValue());
            long whole = wholeRecords(segment.getValue(), length);
            if (whole < length) {
                LOG.warn("archive journal {}: cut {} bytes of a record torn by a crash (never acknowledged)",
                        segment.getValue(), length - whole);
                try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.WRITE)) {
                    channel.truncate(whole);
                }
            }
            valid = segment.getKey() + whole;
        }
        if (valid < indexed) {
            // No journal, or one the database has indexed past (a journal restored from an older
            // backup than the database): what it holds is in the database already.
            for (Long start : List.copyOf(segments.keySet())) {
                discard(start, "the database has indexed past it");
            }
            valid = indexed;
        }
        if (segments.isEmpty()) {
            createSegment(valid);
        } else {
            currentStart = segments.lastKey();
            current = FileChannel.open(segments.lastEntry().getValue(), StandardOpenOption.WRITE);
        }
        end = valid;
    }

    private void discard(long start, String why) throws IOException {
        Path segment = segments.remove(start);
        LOG.warn("archive journal: deleting segment {}: {}", segment, why);
        Files.deleteIfExists(segment);
    }

    /** The length of the run of whole, intact records at the start of {@code segment}. */
    private static long wholeRecords(Path segment, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long offset = 0;
            for (ByteBuffer payload; (payload = payloadAt(channel, offset, length)) != null; ) {
                offset += ArchiveRecord.HEADER + payload.capacity();
            }
            return offset;
        }
    }

    /**
     * The payload of the record at {@code offset}, checked against its checksum; null if no whole
     * intact record starts there before {@code limit}.
     */
    private static ByteBuffer payloadAt(FileChannel channel, long offset, long limit) throws IOException {
        if (limit - offset < ArchiveRecord.HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(ArchiveRecord.HEADER);
        readFully(channel, header, offset);
        int length = header.getInt(0);
        if (length < 0 || length > ArchiveRecord.MAX_PAYLOAD || limit - offset - ArchiveRecord.HEADER < length) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload, offset + ArchiveRecord.HEADER);
        if (ArchiveRecord.checksum(payload.array(), 0, length) != header.getInt(Integer.BYTES)) {
            return null;
        }
        return payload.flip();
    }

    /**
     * The bytes of the segment from {@code offset}: {@link #READ_WINDOW} of them, or
     * {@code wanted} if more, none past {@code limit}; fewer than {@code wanted} only if the
     * segment ends first (the caller then finds no intact record there).
     */
    private static ByteBuffer window(FileChannel channel, long offset, long limit, int wanted, Path file,
                                     ByteBuffer previous) throws IOException {
        if (wanted > ArchiveRecord.HEADER + ArchiveRecord.MAX_PAYLOAD) {
            throw new IOException("archive journal " + file + ": no intact record at " + offset);
        }
        int size = (int) Math.min(Math.max(READ_WINDOW, wanted), limit - offset);
        if (size < Math.min(wanted, ArchiveRecord.HEADER)) {
            throw new IOException("archive journal " + file + ": no intact record at " + offset);
        }
        // The previous window's records are decoded (copied) already: its buffer can be reused.
        ByteBuffer window = previous.capacity() >= size ? previous.clear().limit(size) : ByteBuffer.allocate(size);
        readFully(channel, window, offset);
        return window.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** The position after the last record written. */
    long end() {
        return end;
    }

    /** The first position the journal still holds. */
    long start() {
        return segments.firstKey();
    }

    /**
     * Writes {@code records}, in order, with one write of up to {@link #WRITE_BUFFER} bytes (more
     * for a larger batch), and returns the position after the last.
     * Returns once the write reached the operating system (and the disk too, with {@code fsync}).
     * One caller at a time.
     */
    long append(List<ArchiveRecord> records) throws IOException {
        if (!current.isOpen()) {
            // An interrupt during an earlier write closed the channel; that write never counted.
            current = FileChannel.open(segments.get(currentStart), StandardOpenOption.WRITE);
        }
        long offset = end - currentStart;
        ByteBuffer out = writeBuffer.clear();
        for (ArchiveRecord record : records) {
            int most = record.maxEncodedLength();
            if (out.remaining() < most) {
                offset = write(out.flip(), offset);
                out.clear();
            }
            if (out.remaining() < most) {
                // Larger than the buffer (a stanza of most of a megabyte): on its own.
                offset = write(ByteBuffer.wrap(record.encode()), offset);
            } else {
                record.encodeInto(out);
            }
        }
        offset = write(out.flip(), offset);
        if (fsync) {
            current.force(false);
        }
        end = currentStart + offset;
        if (offset >= segmentBytes) {
            current.close();
            createSegment(end);
        }
        return end;
    }

    /**
     * Writes {@code bytes} at {@code offset} of the current segment; returns the offset after
     * them. Records of one append may take several writes: until {@link #end} moves past them
     * none counts, and a crash between two leaves whole records (of messages never acknowledged)
     * and perhaps a torn one, which {@link #open} cuts, as a crash within one write does.
     */
    private long write(ByteBuffer bytes, long offset) throws IOException {
        while (bytes.hasRemaining()) {
            offset += current.write(bytes, offset);
        }
        return offset;
    }

    private void createSegment(long start) throws IOException {
        Path file = directory.resolve(String.format("%019d.journal", start));
        OwnerOnlyFiles.createFile(file);
        current = FileChannel.open(file, StandardOpenOption.WRITE);
        currentStart = start;
        segments.put(start, file);
    }

    /**
     * The records from {@code from} (a record's start) on, at most {@code max}, none past
     * {@link #end} as it was when called. One caller at a time.
     */
    List<Entry> read(long from, int max) throws IOException {
        long limit = end;
        List<Entry> entries = new ArrayList<>();
        long position = from;
        while (entries.size() < max && position < limit) {
            Map.Entry<Long, Path> segment = segments.floorEntry(position);
            if (segment == null) {
                throw new IOException("archive journal: position " + position + " is before the journal");
            }
            Long next = segments.higherKey(segment.getKey());
            long segmentLimit = (next == null ? limit : Math.min(limit, next)) - segment.getKey();
            try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
                long offset = position - segment.getKey();
                // Records are read a window of READ_WINDOW bytes at a time, not a read per header
                // and per payload: an indexer's batch of 5,000 records was 10,000 system calls and
                // as many buffers.
                ByteBuffer window = ByteBuffer.allocate(0);
                int at = 0;
                while (entries.size() < max && offset < segmentLimit) {
                    int length = window.limit() - at >= ArchiveRecord.HEADER ? window.getInt(at) : -1;
                    boolean whole = length >= 0 && window.limit() - at - ArchiveRecord.HEADER >= length;
                    if (!whole) {
                        int wanted = length < 0 ? ArchiveRecord.HEADER : ArchiveRecord.HEADER + length;
                        window = window(channel, offset, segmentLimit, wanted, segment.getValue(), window);
                        at = 0;
                        length = window.getInt(0);
                    }
                    if (length < 0 || length > ArchiveRecord.MAX_PAYLOAD
                            || segmentLimit - offset - ArchiveRecord.HEADER < length
                            || window.limit() - at - ArchiveRecord.HEADER < length
                            || ArchiveRecord.checksum(window.array(), at + ArchiveRecord.HEADER, length)
                                    != window.getInt(at + Integer.BYTES)) {
                        throw new IOException("archive journal " + segment.getValue() + ": no intact record at " + offset);
                    }
                    JournalRecord record = JournalRecord.copyOf(window.slice(at + ArchiveRecord.HEADER, length));
                    at += ArchiveRecord.HEADER + length;
                    offset += ArchiveRecord.HEADER + length;
                    entries.add(new Entry(record, segment.getKey() + offset));
                }
                position = segment.getKey() + offset;
            }
        }
        return entries;
    }

    /** Deletes the segments that end at or before {@code indexed}; never the one written to. */
    void release(long indexed) {
        Long keep = segments.floorKey(indexed);
        if (keep == null) {
            return;
        }
        for (Map.Entry<Long, Path> segment : List.copyOf(segments.headMap(keep).entrySet())) {
            try {
                Files.deleteIfExists(segment.getValue());
                segments.remove(segment.getKey());
            } catch (IOException e) {
                // Indexed all the same; the next release tries again.
                LOG.warn("cannot delete the indexed archive journal segment {}: {}", segment.getValue(), e.toString());
            }
        }
    }

    /** The segment files, oldest first (for tests and diagnostics). */
    List<Path> segmentFiles() {
        return List.copyOf(segments.values());
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
