package im.parley.server.http;

import im.parley.core.xml.XmppElementEncoder;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;

/**
 * The stream's output waiting for a held request to carry it (XEP-0124 §8), serialized once
 * when queued; its size is what makes the session's output congested.
 */
final class BoshOutputQueue {

    record Queued(Element element, String xml) {
    }

    private final List<Queued> queue = new ArrayList<>();
    private long bytes;

    void add(Element element) {
        String xml = XmppElementEncoder.toXml(element);
        queue.add(new Queued(element, xml));
        bytes += xml.length();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The serialized size of what is queued, in characters. */
    long bytes() {
        return bytes;
    }

    /** Everything queued, in order; the queue is then empty. */
    List<Queued> drain() {
        List<Queued> drained = new ArrayList<>(queue);
        queue.clear();
        bytes = 0;
        return drained;
    }
}
