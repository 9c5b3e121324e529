package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.xml.XmppElementEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/** Unique and Stable Stanza IDs (XEP-0359) as the archiving entity adds them. */
final class StanzaIds {

    static final String NAMESPACE = "urn:xmpp:sid:0";
    private static final QName STANZA_ID = QName.get("stanza-id", NAMESPACE);
    private static final byte[] MESSAGE_END = "</message>".getBytes(StandardCharsets.US_ASCII);
    // As XmlWriter writes the element that stamped() adds: its namespace declared, id, then by.
    private static final byte[] STANZA_ID_START = ("<stanza-id xmlns='" + NAMESPACE + "' id='").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STANZA_ID_BY = "' by='".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STANZA_ID_END = "'/>".getBytes(StandardCharsets.US_ASCII);

    private StanzaIds() {
    }

    /** A new id: random, so never reused, even after its message was purged (XEP-0313 §6.2). */
    static String next() {
        return UUID.randomUUID().toString();
    }

    /**
     * XEP-0359 §3.1: a {@code <stanza-id/>} claiming to be by {@code archive} that did not come
     * from it is a spoof and is removed. Returns a copy without them, or the element itself if it
     * has none.
     */
    static Element withoutSpoofed(Element message, EntityBareJid archive) {
        if (spoofed(message, archive) == null) {
            return message;
        }
        Element copy = message.createCopy();
        for (Element id = spoofed(copy, archive); id != null; id = spoofed(copy, archive)) {
            copy.remove(id);
        }
        return copy;
    }

    /** True if {@code message} carries a {@code <stanza-id/>} by {@code archive}, genuine or not. */
    static boolean carriesOneBy(Element message, EntityBareJid archive) {
        return spoofed(message, archive) != null;
    }

    /** A copy of {@code message} with {@code <stanza-id xmlns='urn:xmpp:sid:0' id by/>} added (§3). */
    static Element stamped(Element message, String id, EntityBareJid archive) {
        Element copy = message.createCopy();
        copy.addElement(STANZA_ID).addAttribute("id", id).addAttribute("by", archive.toString());
        return copy;
    }

    /**
     * {@link #stamped} as standalone UTF-8 XML ({@link XmppElementEncoder#toUtf8}), made from
     * {@code messageUtf8}, the message's own XML as that method wrote it, without writing the
     * message again: the {@code <stanza-id/>} goes in before the closing tag, where the writer
     * puts a last child, with its namespace declared (the message's default namespace is
     * another). Null if that cannot be done byte for byte: the message was written as an empty
     * element ({@code <message/>}, no closing tag), or the id or archive has a character the
     * writer escapes or drops (the caller then writes the stamped element).
     */
    static byte[] stampedUtf8(byte[] messageUtf8, Element message, String id, EntityBareJid archive) {
        byte[] end = MESSAGE_END;
        if (!message.getNamespacePrefix().isEmpty() || !"message".equals(message.getName())) {
            end = ("</" + message.getQualifiedName() + ">").getBytes(StandardCharsets.UTF_8);
        }
        int at = messageUtf8.length - end.length;
        if (at < 0 || !Arrays.equals(messageUtf8, at, messageUtf8.length, end, 0, end.length)) {
            return null;
        }
        String by = archive.toString();
        if (!XmppElementEncoder.writesAttributeAsIs(id) || !XmppElementEncoder.writesAttributeAsIs(by)) {
            return null;
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] byBytes = by.getBytes(StandardCharsets.UTF_8);
        byte[] stamped = new byte[messageUtf8.length + STANZA_ID_START.length + idBytes.length + STANZA_ID_BY.length
                + byBytes.length + STANZA_ID_END.length];
        int to = put(stamped, 0, messageUtf8, at);
        to = put(stamped, to, STANZA_ID_START, STANZA_ID_START.length);
        to = put(stamped, to, idBytes, idBytes.length);
        to = put(stamped, to, STANZA_ID_BY, STANZA_ID_BY.length);
        to = put(stamped, to, byBytes, byBytes.length);
        to = put(stamped, to, STANZA_ID_END, STANZA_ID_END.length);
        put(stamped, to, end, end.length);
        return stamped;
    }

    private static int put(byte[] to, int at, byte[] from, int length) {
        System.arraycopy(from, 0, to, at, length);
        return at + length;
    }

    /** True if {@code by} is {@code archive} in any spelling that prepares to it (RFC 7622 §3). */
    private static boolean names(String by, EntityBareJid archive) {
        if (by == null) {
            return false;
        }
        try {
            return archive.equals(Jids.parse(by));
        } catch (JidMalformedException e) {
            return false;
        }
    }

    private static Element spoofed(Element message, EntityBareJid archive) {
        for (Element child : message.elements(STANZA_ID)) {
            if (names(child.attributeValue("by"), archive)) {
                return child;
            }
        }
        return null;
    }
}
