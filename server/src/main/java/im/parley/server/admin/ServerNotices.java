package im.parley.server.admin;

import im.parley.core.stream.Namespaces;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Messages the server itself sends users on an administrator's behalf: announcements (XEP-0133
 * §4.23) and the message of the day (§4.24), of type {@code headline} (RFC 6121 §5.2.2): a notice
 * a client shows and need not keep, the type Prosody's mod_announce and mod_motd use. The welcome
 * message (§4.27) is a {@code normal} message instead (§5.2.2: "a standalone message that is sent
 * outside the context of a one-to-one conversation"): a new user's client keeps it, as the first
 * message the account ever got.
 */
public final class ServerNotices {

    private static final Namespace CLIENT = Namespace.get(Namespaces.CLIENT);

    private ServerNotices() {
    }

    public static Element announcement(DomainBareJid from, EntityFullJid to, String text) {
        return headline(from, to, "Announcement", text);
    }

    public static Element motd(DomainBareJid from, EntityFullJid to, String text) {
        return headline(from, to, "Message of the day", text);
    }

    public static Element welcome(DomainBareJid from, EntityFullJid to, String text) {
        return message("normal", from, to, "Welcome", text);
    }

    private static Element headline(DomainBareJid from, EntityFullJid to, String subject, String text) {
        return message("headline", from, to, subject, text);
    }

    private static Element message(String type, DomainBareJid from, EntityFullJid to, String subject, String text) {
        Element message = DocumentHelper.createElement(QName.get("message", CLIENT));
        message.addAttribute("type", type).addAttribute("from", from.toString()).addAttribute("to", to.toString());
        message.addElement(QName.get("subject", CLIENT)).setText(subject);
        message.addElement(QName.get("body", CLIENT)).setText(text);
        return message;
    }
}
