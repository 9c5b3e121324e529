package im.parley.server.modules.roster;

import im.parley.server.storage.RosterItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;

/** The {@code <item/>} and {@code <query/>} elements of {@code jabber:iq:roster} (RFC 6121 §2.1.2). */
public final class RosterItemXml {

    static final Namespace NS = Namespace.get(RosterModule.NAMESPACE);

    private RosterItemXml() {
    }

    /** A {@code <query/>} without a version (the whole roster as a report, not for a client's cache). */
    public static Element query() {
        return DocumentHelper.createElement(QName.get("query", NS));
    }

    /** A {@code <query/>} with the roster version attribute of §2.6. */
    static Element query(long version) {
        Element query = DocumentHelper.createElement(QName.get("query", NS));
        query.addAttribute("ver", String.valueOf(version));
        return query;
    }

    /** Adds the item; an empty item is a removed contact ({@code subscription='remove'}, §2.5.2). */
    public static void addItem(Element query, BareJid contact, Optional<RosterItem> item) {
        Element element = query.addElement(QName.get("item", NS));
        element.addAttribute("jid", contact.toString());
        if (item.isEmpty()) {
            element.addAttribute("subscription", "remove");
            return;
        }
        RosterItem i = item.get();
        if (i.name() != null) {
            element.addAttribute("name", i.name());
        }
        element.addAttribute("subscription", i.subscription().attributeValue());
        if (i.pendingOut()) {
            element.addAttribute("ask", "subscribe");  // §2.1.2.2
        }
        if (i.approved()) {
            element.addAttribute("approved", "true");  // §2.1.2.1, §3.4
        }
        List<String> groups = new ArrayList<>(i.groups());
        groups.sort(null);
        for (String group : groups) {
            element.addElement(QName.get("group", NS)).setText(group);
        }
    }
}
