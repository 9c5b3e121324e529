package im.parley.server.modules.bookmarks;

import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * One chatroom bookmark, as both formats carry it: XEP-0048 §3.2 ({@code <conference jid=…>} in
 * {@code storage:bookmarks}) and XEP-0402 §2 (a {@code <conference/>} in an item whose id is the
 * room's JID). What only one format has stays where it is: XEP-0402's {@code <extensions/>} in
 * the item, XEP-0048's URL bookmarks in the stored private XML.
 */
record Bookmark(String jid, String name, boolean autojoin, String nick, String password) {

    static final String LEGACY = "storage:bookmarks";
    static final String BOOKMARKS2 = "urn:xmpp:bookmarks:1";

    /** XEP-0048 §3.2: a {@code <conference/>} of a legacy {@code <storage/>}; none without a jid. */
    static Optional<Bookmark> fromLegacy(Element conference) {
        String jid = conference.attributeValue("jid", "").trim();
        if (jid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Bookmark(jid, conference.attributeValue("name"),
                isTrue(conference.attributeValue("autojoin")), text(conference, "nick"), text(conference, "password")));
    }

    /** XEP-0402 §2: the item's id is the room, its {@code <conference/>} the rest. */
    static Bookmark fromBookmarks2(String itemId, Element conference) {
        return new Bookmark(itemId, conference.attributeValue("name"), isTrue(conference.attributeValue("autojoin")),
                text(conference, "nick"), text(conference, "password"));
    }

    /** XEP-0048 §3.2. */
    Element toLegacy() {
        Element conference = DocumentHelper.createElement(QName.get("conference", LEGACY)).addAttribute("jid", jid)
                .addAttribute("autojoin", Boolean.toString(autojoin));
        fill(conference, LEGACY);
        return conference;
    }

    /** XEP-0402 §2, keeping the {@code <extensions/>} of {@code previous} (§2.2: clients must preserve them). */
    Element toBookmarks2(Element previous) {
        Element conference = DocumentHelper.createElement(QName.get("conference", BOOKMARKS2))
                .addAttribute("autojoin", Boolean.toString(autojoin));
        fill(conference, BOOKMARKS2);
        Element extensions = previous == null ? null : previous.element(QName.get("extensions", BOOKMARKS2));
        if (extensions != null) {
            conference.add(extensions.createCopy());
        }
        return conference;
    }

    private void fill(Element conference, String namespace) {
        if (name != null) {
            conference.addAttribute("name", name);
        }
        if (nick != null) {
            conference.addElement(QName.get("nick", namespace)).setText(nick);
        }
        if (password != null) {
            conference.addElement(QName.get("password", namespace)).setText(password);
        }
    }

    /** XML Schema booleans (XEP-0048 §3.2, XEP-0402 §2.1). */
    private static boolean isTrue(String value) {
        return value != null && (value.trim().equals("true") || value.trim().equals("1"));
    }

    private static String text(Element conference, String child) {
        Element element = conference.element(QName.get(child, conference.getNamespaceURI()));
        return element == null ? null : element.getText();
    }
}
