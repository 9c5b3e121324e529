package im.parley.server.modules.muc;

import org.dom4j.Namespace;

/** The namespaces of XEP-0045 (§19) and what a room adds to its stanzas. */
final class MucNamespaces {

    static final String MUC = "http://jabber.org/protocol/muc";
    static final String USER = MUC + "#user";
    static final String ADMIN = MUC + "#admin";
    static final String OWNER = MUC + "#owner";
    static final String ROOMINFO = MUC + "#roominfo";
    /** Unique and Stable Stanza IDs (XEP-0359). */
    static final String SID = "urn:xmpp:sid:0";
    /** Delayed Delivery (XEP-0203). */
    static final String DELAY = "urn:xmpp:delay";
    /** Direct MUC Invitations (XEP-0249). */
    static final String CONFERENCE = "jabber:x:conference";

    static final Namespace MUC_NS = Namespace.get(MUC);
    static final Namespace USER_NS = Namespace.get(USER);

    private MucNamespaces() {
    }
}
