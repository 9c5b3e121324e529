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
 * §4.23) and the message of the day (§4.24). Type {@code headline} (RFC 6121 §5.2.2): a notice a
 * client shows and need not keep, the type Prosody's mod_announce and mod_motd use.
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

    private static Element headline(DomainBareJid from, EntityFullJid to, String subject, String text) {
        Element message = DocumentHelper.createElement(QName.get("message", CLIENT));
        message.addAttribute("type", "headline").addAttribute("from", from.toString()).addAttribute("to", to.toString());
        message.addElement(QName.get("subject", CLIENT)).setText(subject);
        message.addElement(QName.get("body", CLIENT)).setText(text);
        return message;
    }
}
