package im.parley.server.testing;

import im.parley.core.jid.Jids;
import im.parley.core.stream.StreamError;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;

/**
 * A bound session without a connection, for tests of routing: it records the stanzas delivered to
 * it and the stream errors it was closed with. Available with priority 0 unless told otherwise;
 * each instance has its own id (a rebinding of the same JID is another session). Thread-safe:
 * cluster tests deliver from Hazelcast's threads.
 */
public final class RecordingSession implements LocalSession {

    private static final AtomicLong IDS = new AtomicLong();

    private final EntityFullJid jid;
    private final String id;
    public final List<Element> received = new CopyOnWriteArrayList<>();
    public final List<StreamError> closedWith = new CopyOnWriteArrayList<>();
    public volatile boolean available = true;
    public volatile int priority;

    public RecordingSession(String jid) throws Exception {
        this.jid = Jids.parse(jid).asEntityFullJidIfPossible();
        this.id = jid + "#" + IDS.incrementAndGet();
    }

    @Override
    public EntityFullJid jid() {
        return jid;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public void updatePresence(boolean isAvailable, int newPriority) {
        this.available = isAvailable;
        this.priority = newPriority;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void deliver(Element stanza) {
        received.add(stanza);
    }

    @Override
    public void close(StreamError error) {
        closedWith.add(error);
    }
}
