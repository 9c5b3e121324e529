package im.parley.sdk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What waits to go out in a {@link BoshSession}'s requests: payloads, in order, and the stream
 * restart (XEP-0206 §5) and session end (XEP-0124 §13) between them, taken a request's worth at a
 * time. Guarded by the session's monitor.
 */
final class BoshOutgoing {

    /** A queued payload or marker. */
    sealed interface Item {
    }

    record Payload(String xml) implements Item {
    }

    enum Marker implements Item { RESTART, TERMINATE }

    /** The body of the next request, made for the rid it gets, and whether it ends the session. */
    record Body(LongFunction<String> xml, boolean terminates) {
    }

    private final String domain;
    private final String lang;
    private final ArrayDeque<Item> items = new ArrayDeque<>();

    BoshOutgoing(String domain, String lang) {
        this.domain = domain;
        this.lang = lang;
    }

    void add(Item item) {
        items.add(item);
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    void clear() {
        items.clear();
    }

    /** Takes what the next request carries; there must be something queued. */
    Body take(String sid) {
        if (items.peek() == Marker.RESTART) {
            items.poll();
            return new Body(rid -> BoshBodies.restart(rid, sid, domain, lang), false);
        }
        // The payloads up to the next marker; a terminate right after them carries them.
        List<String> payloads = new ArrayList<>();
        boolean terminate = false;
        for (Item item : items) {
            if (item instanceof Payload payload) {
                payloads.add(payload.xml());
            } else {
                terminate = item == Marker.TERMINATE;
                break;
            }
        }
        for (int i = payloads.size() + (terminate ? 1 : 0); i > 0; i--) {
            items.poll();
        }
        boolean ends = terminate;
        return new Body(rid -> ends ? BoshBodies.terminate(rid, sid, payloads)
                : BoshBodies.payload(rid, sid, payloads), ends);
    }
}
