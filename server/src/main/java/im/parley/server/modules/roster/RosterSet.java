package im.parley.server.modules.roster;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;

/**
 * A validated roster set (RFC 6121 §2.3, §2.4, §2.5): add or update one item, or remove it.
 *
 * @param name the new name, or null
 */
record RosterSet(BareJid contact, String name, Set<String> groups, boolean remove) {

    /** Longest name or group name accepted (§2.3.3 lets a server limit them). */
    static final int MAX_NAME_LENGTH = 1023;

    /** Thrown for a roster set the server must refuse, with the stanza error of §2.3.3. */
    static final class Invalid extends Exception {
        private final StanzaErrorCondition condition;

        Invalid(StanzaErrorCondition condition, String message) {
            super(message);
            this.condition = condition;
        }

        StanzaErrorCondition condition() {
            return condition;
        }
    }

    static RosterSet parse(Element query) throws Invalid {
        List<Element> items = query.elements("item");
        if (items.size() != 1 || query.elements().size() != 1) {
            // §2.3.3: the query contains more than one item (or none).
            throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "a roster set carries exactly one item");
        }
        Element item = items.get(0);
        BareJid contact = contact(item.attributeValue("jid"));
        // §2.1.2.5: values of 'subscription' other than "remove" are ignored.
        if ("remove".equals(item.attributeValue("subscription"))) {
            return new RosterSet(contact, null, Set.of(), true);
        }
        String name = item.attributeValue("name");
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            throw new Invalid(StanzaErrorCondition.NOT_ACCEPTABLE, "the name is too long");
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Element group : item.elements("group")) {
            String text = group.getText();
            if (text.isEmpty()) {
                throw new Invalid(StanzaErrorCondition.NOT_ACCEPTABLE, "a group name is empty");
            }
            if (text.length() > MAX_NAME_LENGTH) {
                throw new Invalid(StanzaErrorCondition.NOT_ACCEPTABLE, "a group name is too long");
            }
            if (!groups.add(text)) {
                throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "duplicate group " + text);
            }
        }
        return new RosterSet(contact, name, groups, false);
    }

    private static BareJid contact(String jid) throws Invalid {
        if (jid == null) {
            throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "the item has no jid");
        }
        try {
            Jid parsed = Jids.parse(jid);
            if (parsed.hasResource()) {
                throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "a roster item is a bare JID");
            }
            return parsed.asBareJid();
        } catch (JidMalformedException e) {
            throw new Invalid(StanzaErrorCondition.JID_MALFORMED, e.getMessage());
        }
    }
}
