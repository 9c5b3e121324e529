package im.parley.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a JVM's resident set is its Java heap: the {@code Rss} of the mappings of
 * {@code /proc/<pid>/smaps} inside the heap's address range. The rest of RSS is native memory
 * (code cache, metaspace, thread stacks, GC structures, direct buffers, malloc'd memory of native
 * libraries such as BoringSSL).
 *
 * <p>Why the split: total RSS moves with the heap G1 has committed, which follows the load from
 * one second to the next and which G1 (JDK 17 and later) gives back to the system concurrently,
 * some time after the collection that freed it; so RSS read right after the soak's forced
 * collection swings by the size of the young generation. The heap is judged by its live set
 * after that collection; what is left to judge in RSS is the part outside the heap.
 */
final class HeapResidence {
    /** {@code GC.heap_info}'s first line ends with the heap's reserved range: {@code [0x..., 0x...)}. */
    private static final Pattern RANGE = Pattern.compile("\\[(0x[0-9a-fA-F]+), *(0x[0-9a-fA-F]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private final Path smaps;
    private final long start;
    private final long end;

    private HeapResidence(long pid, long start, long end) {
        this.smaps = Path.of("/proc", Long.toString(pid), "smaps");
        this.start = start;
        this.end = end;
    }

    /** From the output of {@code GC.heap_info}; null if it names no address range. */
    static HeapResidence of(long pid, String heapInfo) {
        Matcher range = RANGE.matcher(heapInfo);
        if (!range.find()) {
            return null;
        }
        return new HeapResidence(pid, Long.parseUnsignedLong(range.group(1).substring(2), 16),
                Long.parseUnsignedLong(range.group(2).substring(2), 16));
    }

    /** Resident kilobytes of the heap now, or -1 if smaps cannot be read (the server has gone). */
    long residentKb() {
        try {
            return residentKb(Files.readAllLines(smaps));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Sums the {@code Rss:} lines of the mappings that lie inside the heap's range. */
    long residentKb(List<String> smapsLines) {
        long total = 0;
        boolean inHeap = false;
        for (String line : smapsLines) {
            Matcher mapping = MAPPING.matcher(line);
            if (mapping.find()) {
                long from = Long.parseUnsignedLong(mapping.group(1), 16);
                long to = Long.parseUnsignedLong(mapping.group(2), 16);
                inHeap = Long.compareUnsigned(from, start) >= 0 && Long.compareUnsigned(to, end) <= 0;
            } else if (inHeap && line.startsWith("Rss:")) {
                total += Long.parseLong(line.substring(4).trim().split(" +")[0]);
            }
        }
        return total;
    }
}
