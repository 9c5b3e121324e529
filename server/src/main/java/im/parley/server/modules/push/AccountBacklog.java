package im.parley.server.modules.push;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The push-worthy messages an account got since it was last online: their count and the last
 * one, for the summary form (XEP-0357 §7), and the keys ({@code from} and {@code id}) of those
 * already announced, so that a message announced while queued for a hibernated session is not
 * announced again when the window ends and it goes to offline storage (XEP-0198 §5).
 */
final class AccountBacklog {

    private static final int MAX_KEYS = 256;

    private int count;
    private PushWorthyMessage last;
    private final Set<String> announced = new LinkedHashSet<>();

    /** Adds a message; returns false if it was already announced. */
    synchronized boolean add(PushWorthyMessage message, String key) {
        if (key != null && announced.contains(key)) {
            return false;
        }
        if (key != null) {
            announced.add(key);
            if (announced.size() > MAX_KEYS) {
                announced.remove(announced.iterator().next());
            }
        }
        count++;
        last = message;
        return true;
    }

    synchronized PushSummary summary(boolean withSender, boolean withBody) {
        return new PushSummary(count, withSender && last != null ? last.sender() : null,
                withBody && last != null ? last.body() : null);
    }

    /** A message's identity for de-duplication, or null when it has no id. */
    static String key(org.dom4j.Element message) {
        String id = message.attributeValue("id");
        return id == null ? null : message.attributeValue("from") + "\u0000" + id;
    }
}
