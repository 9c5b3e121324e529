package im.parley.server.storage;

import java.time.Instant;

/**
 * A stored offline message (XEP-0160 §2): its id (increasing in arrival order), the stanza as
 * XML text and when it was stored.
 */
public record OfflineMessage(long id, String stanzaXml, Instant storedAt) {
}
