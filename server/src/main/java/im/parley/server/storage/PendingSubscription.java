package im.parley.server.storage;

import org.jxmpp.jid.BareJid;

/** An inbound subscription request awaiting the user's answer (RFC 6121 §3.1.3), as the XML of its stanza. */
public record PendingSubscription(BareJid contact, String stanza) {
}
