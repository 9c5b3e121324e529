package im.parley.server.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Messages kept for accounts without an available resource (XEP-0160, RFC 6121 §8.5.2.2.1).
 * Blocking: call off the event loop.
 */
public interface OfflineStore {

    /**
     * Appends a message to the account's queue unless it already holds {@code quota} messages.
     *
     * @return false if the queue is full (nothing was stored)
     */
    boolean append(EntityBareJid owner, String stanzaXml, Instant storedAt, int quota);

    /** The account's messages, oldest first. */
    List<OfflineMessage> list(EntityBareJid owner);

    /** Deletes these messages of the account; returns how many were deleted. */
    int delete(EntityBareJid owner, Collection<Long> ids);

    /** The number of messages queued for the account. */
    int count(EntityBareJid owner);

    /** The accounts that have messages queued. */
    Set<EntityBareJid> owners();

    /** The number of messages queued for every account of {@code domain} (sampled for metrics). */
    long total(DomainBareJid domain);
}
