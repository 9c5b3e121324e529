package im.parley.server.c2s;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stanzas routed to a session whose stream is closing (a stream error or
 * {@code </stream:stream>} is out, the connection not gone yet), which can no longer be written:
 * held until the session ends, then routed again ({@link C2sSession#deliver}), so that none is
 * lost (XEP-0198 §5). The connection ends within {@code GracefulClose.LINGER} once its output is
 * flushed; one whose client does not read may take longer, and holds at most {@link #MAX}
 * (docs/security.md). Thread-safe: deliveries and the end may come from different threads.
 */
final class StanzasHeldWhileClosing {

    /** The most stanzas held for one closing session; later ones are dropped with a warning. */
    static final int MAX = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(StanzasHeldWhileClosing.class);

    private final List<Element> held = new ArrayList<>();
    private boolean released;

    /**
     * Holds {@code stanza} for {@code session} until it ends; false, holding nothing, if it
     * ended already ({@link #release} was called): the caller routes the stanza again itself.
     */
    synchronized boolean hold(Element stanza, C2sSession session) {
        if (released) {
            return false;
        }
        if (held.size() < MAX) {
            held.add(stanza);
        } else {
            LOG.warn("{}: the stream is closing and {} stanzas wait for its end already; dropping {}",
                    session, MAX, stanza.getName());
        }
        return true;
    }

    /** The session ended: returns what was held, in the order held; nothing is held after this. */
    synchronized List<Element> release() {
        released = true;
        List<Element> all = List.copyOf(held);
        held.clear();
        return all;
    }
}
