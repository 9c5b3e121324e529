package im.parley.bench.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A heap histogram as {@code jcmd <pid> GC.class_histogram} prints it (live objects after a full
 * collection): instances and bytes per class. Two of them, from the start and the end of the
 * measured part of a soak, name the classes whose objects accumulated.
 */
final class ClassHistogram {
    /** {@code "   1:         12345        1234567  [B (java.base@17.0.15)"}. */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    private final Map<String, long[]> classes;

    private ClassHistogram(Map<String, long[]> classes) {
        this.classes = classes;
    }

    static ClassHistogram parse(String text) {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                // The same name can appear twice (one class in two class loaders): add them up.
                long[] counts = classes.computeIfAbsent(row.group(3), k -> new long[2]);
                counts[0] += Long.parseLong(row.group(1));
                counts[1] += Long.parseLong(row.group(2));
            }
        }
        return new ClassHistogram(classes);
    }

    int classCount() {
        return classes.size();
    }

    /** The {@code limit} classes whose bytes grew most from {@code before} to this, largest first. */
    List<Map<String, Object>> growthSince(ClassHistogram before, int limit) {
        List<Map<String, Object>> grown = new ArrayList<>();
        classes.forEach((name, now) -> {
            long[] then = before.classes.getOrDefault(name, new long[2]);
            if (now[1] > then[1]) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", name);
                row.put("instances_delta", now[0] - then[0]);
                row.put("bytes_delta", now[1] - then[1]);
                row.put("instances", now[0]);
                row.put("bytes", now[1]);
                grown.add(row);
            }
        });
        grown.sort(Comparator.comparingLong(row -> -(long) row.get("bytes_delta")));
        return grown.subList(0, Math.min(limit, grown.size()));
    }
}
