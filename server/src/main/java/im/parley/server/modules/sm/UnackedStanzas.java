package im.parley.server.modules.sm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.dom4j.Element;

/**
 * The stanzas sent to the client and not yet acknowledged, in the order they were sent
 * (XEP-0198 §4): the client's {@code h} says how many of all stanzas sent since
 * {@code <enabled/>} it has handled, so an ack drops that many from the head.
 */
final class UnackedStanzas {

    /** Outcome of an ack. */
    enum AckResult { OK, TOO_HIGH }

    private final Deque<Element> stanzas = new ArrayDeque<>();
    /** The client's last {@code h}: stanzas sent before the head of the queue. */
    private long acked;

    /** Records a stanza as sent. */
    void sent(Element stanza) {
        stanzas.addLast(stanza);
    }

    /** The count of stanzas sent since stream management was enabled, modulo 2^32. */
    long sentCount() {
        return (acked + stanzas.size()) % SequenceNumbers.MODULUS;
    }

    long acked() {
        return acked;
    }

    int size() {
        return stanzas.size();
    }

    /**
     * The client handled {@code h} stanzas in all: drops the newly acknowledged ones. An
     * {@code h} acknowledging more than was sent is an error (XEP-0198 §4, §6
     * {@code <handled-count-too-high/>}) and changes nothing.
     */
    AckResult ack(long h) {
        long newlyAcked = SequenceNumbers.distance(acked, h);
        if (newlyAcked > stanzas.size()) {
            return AckResult.TOO_HIGH;
        }
        for (long i = 0; i < newlyAcked; i++) {
            stanzas.removeFirst();
        }
        acked = h;
        return AckResult.OK;
    }

    /**
     * Takes every unacknowledged stanza out, for sending again after a resumption (XEP-0198 §5):
     * the client's count goes on from {@code h}, the last it acknowledged, so the resent
     * stanzas are counted again as they go out.
     */
    List<Element> takeAll() {
        List<Element> all = new ArrayList<>(stanzas);
        stanzas.clear();
        return all;
    }
}
