package im.parley.sdk;

import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * A received chat message (a {@code <message/>} of type {@code chat} or {@code normal} with a
 * {@code <body/>}, RFC 6121 §5).
 *
 * @param from the sender's account
 * @param sender the exact sending address (usually with the sender's resource)
 * @param body the text
 * @param id the stanza id, or {@code null} if the sender gave none
 */
public record ChatMessage(EntityBareJid from, Jid sender, String body, String id) {
}
