package im.parley.server.modules.mam;

import java.time.Instant;

/** A message in an archive: its XEP-0359 id, when it was archived, the stanza as XML. */
record ArchivedMessage(String id, Instant stamp, String stanzaXml) {
}
