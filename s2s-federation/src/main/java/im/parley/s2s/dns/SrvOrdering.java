package im.parley.s2s.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Orders SRV records as RFC 2782 prescribes ("Usage rules"): ascending priority; within one
 * priority, a weighted random order where zero-weight records have a small chance to come first.
 */
public final class SrvOrdering {

    private SrvOrdering() {
    }

    public static List<SrvRecord> order(List<SrvRecord> records, Random random) {
        TreeMap<Integer, List<SrvRecord>> byPriority = new TreeMap<>();
        for (SrvRecord record : records) {
            byPriority.computeIfAbsent(record.priority(), p -> new ArrayList<>()).add(record);
        }
        List<SrvRecord> ordered = new ArrayList<>();
        for (List<SrvRecord> group : byPriority.values()) {
            ordered.addAll(weighted(group, random));
        }
        return ordered;
    }

    private static List<SrvRecord> weighted(List<SrvRecord> group, Random random) {
        List<SrvRecord> remaining = new ArrayList<>(group);
        // RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except
        // that all those with weight 0 are placed at the beginning of the list".
        remaining.sort(Comparator.comparingInt(SrvRecord::weight));
        List<SrvRecord> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int total = 0;
            for (SrvRecord record : remaining) {
                total += record.weight();
            }
            int pick = total == 0 ? 0 : random.nextInt(total + 1);
            int running = 0;
            int chosen = remaining.size() - 1;
            for (int i = 0; i < remaining.size(); i++) {
                running += remaining.get(i).weight();
                if (running >= pick) {
                    chosen = i;
                    break;
                }
            }
            ordered.add(remaining.remove(chosen));
        }
        return ordered;
    }
}
