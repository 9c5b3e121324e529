package im.parley.server.modules.pep;

import java.time.Instant;

/** One published item of a node (XEP-0060 §7.1): its id, when it was published and its payload as XML. */
public record PepItem(String id, Instant published, String payloadXml) {
}
