package im.parley.server.modules.csi;

import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.SessionInterceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;

/**
 * XEP-0352 on one session: while the client is inactive, stanzas that can wait
 * ({@link TrafficImportance}) are held in a bounded buffer, presence of one sender collapsed to
 * the latest (a presence update supersedes the previous one, RFC 6121 §4.4). The buffer is
 * flushed, in order, when the client becomes active, before any important stanza (so order is
 * kept), and when it is full. Sits above stream management: held-back stanzas are neither sent
 * nor counted yet. Runs on the session's executor.
 */
public final class ClientStateBuffer implements SessionInterceptor {

    /** Above stream management's layer. */
    static final int LAYER = 20;

    private final int maxBuffered;
    /** In arrival order; a collapsed presence moves to the position of its latest update. */
    private final Map<Object, Element> held = new LinkedHashMap<>();
    private boolean inactive;

    ClientStateBuffer(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    @Override
    public int layer() {
        return LAYER;
    }

    public synchronized boolean isInactive() {
        return inactive;
    }

    /** Stanzas held back now. */
    public synchronized int heldCount() {
        return held.size();
    }

    /** §4: {@code <inactive/>}. */
    synchronized void inactive() {
        inactive = true;
    }

    /** §4: {@code <active/>}: everything held back goes out. */
    void active(C2sSession session) {
        synchronized (this) {
            inactive = false;
        }
        flush(session);
    }

    @Override
    public void outbound(Element stanza, C2sSession session) {
        boolean heldBack = false;
        synchronized (this) {
            if (inactive && !TrafficImportance.isImportant(stanza)) {
                String key = TrafficImportance.collapseKey(stanza);
                Object slot = key == null ? new Object() : key;
                held.remove(slot);
                held.put(slot, stanza);
                if (held.size() <= maxBuffered) {
                    return;
                }
                heldBack = true;  // the buffer is full: it all goes out, this stanza last
            }
        }
        flush(session);
        if (!heldBack) {
            session.deliverBelow(this, stanza);
        }
    }

    private void flush(C2sSession session) {
        List<Element> out;
        synchronized (this) {
            out = new ArrayList<>(held.values());
            held.clear();
        }
        for (Element stanza : out) {
            session.deliverBelow(this, stanza);
        }
    }

    @Override
    public synchronized void ended(C2sSession session) {
        // Presence and chat states are state, not messages: a client that comes back asks again.
        held.clear();
    }
}
