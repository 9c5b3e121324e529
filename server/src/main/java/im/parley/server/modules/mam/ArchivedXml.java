package im.parley.server.modules.mam;

import im.parley.core.xml.XmppElementEncoder;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;

/**
 * The XML an archive stores for a message, UTF-8: the message as it left for the sender's copy,
 * the message with its {@code <stanza-id/>} for the recipient's. A message between two local
 * accounts is archived twice in the same routing, on the same thread (as it leaves, then as it
 * arrives), so the recipient's copy is made from the sender copy's XML rather than by writing the
 * message again: writing each copy's XML was half of what the archive added to the event loops
 * (docs/benchmarks.md, "The archive's floor on the event loops"). Elements are never changed in
 * place ({@link im.parley.server.event.StanzaEvent#replace}), so the same element is the same XML.
 * One per module, used from any thread (what it remembers is per thread).
 */
final class ArchivedXml {

    /** Per thread, the last message archived as it left ({@link #sent}). */
    private final ThreadLocal<Sent> lastSent = new ThreadLocal<>();

    /** The XML of a message archived as it leaves, kept for the thread's next {@link #received}. */
    byte[] sent(Element message) {
        byte[] xml = XmppElementEncoder.toUtf8(message);
        lastSent.set(new Sent(message, xml));
        return xml;
    }

    /**
     * The XML of {@code stamped}, {@code message} with its {@code <stanza-id/>} ({@code id},
     * {@code owner}): from the XML of the same message archived as it left on this thread just
     * before, if it was, else written anew.
     */
    byte[] received(Element message, Element stamped, String id, EntityBareJid owner) {
        Sent sent = lastSent.get();
        if (sent != null && sent.message() == message) {
            lastSent.set(null);
            byte[] xml = StanzaIds.stampedUtf8(sent.xml(), message, id, owner);
            if (xml != null) {
                return xml;
            }
        }
        return XmppElementEncoder.toUtf8(stamped);
    }

    /** A message archived as it left, and its XML. */
    private record Sent(Element message, byte[] xml) {
    }
}
