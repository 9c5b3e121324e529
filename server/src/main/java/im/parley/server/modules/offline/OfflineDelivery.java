package im.parley.server.modules.offline;

import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.OfflineMessage;
import im.parley.server.storage.OfflineStore;
import im.parley.server.storage.StoredXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an account's stored messages to one of its sessions, oldest first, each with a
 * XEP-0203 delay stamp (XEP-0160 §2), and deletes exactly those that were written to it.
 * Blocking: runs on the blocking executor, as one of the account's steps (so never twice at
 * once for an account, and never beside a message being stored for it).
 */
final class OfflineDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineDelivery.class);

    private final OfflineStore store;
    private final RouteTable sessions;

    OfflineDelivery(OfflineStore store, RouteTable sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    /** Returns true if every stored message went to the session (none is left). */
    boolean flush(LocalSession session) {
        EntityBareJid owner = session.jid().asEntityBareJid();
        List<Long> done = new ArrayList<>();
        List<OfflineMessage> stored = store.list(owner);
        for (OfflineMessage message : stored) {
            if (!isStillBound(session)) {
                break;
            }
            Optional<Element> stanza = parse(message);
            stanza.ifPresent(element -> {
                DelayStamp.add(element, owner.asDomainBareJid(), message.storedAt());
                session.deliver(element);
            });
            done.add(message.id());
        }
        store.delete(owner, done);
        return done.size() == stored.size();
    }

    private boolean isStillBound(LocalSession session) {
        return sessions.find(session.jid()).filter(bound -> bound == session).isPresent();
    }

    private static Optional<Element> parse(OfflineMessage message) {
        try {
            return Optional.of(StoredXml.read(message.stanzaXml()));
        } catch (DocumentException e) {
            // Unreadable rows would block the queue forever: they are dropped with a trace.
            LOG.warn("dropping unreadable offline message {}: {}", message.id(), e.getMessage());
            return Optional.empty();
        }
    }
}
