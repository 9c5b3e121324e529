package im.parley.bench.client;

import org.dom4j.Element;

/**
 * What a logged-in client does with the stanzas the server sends it: counts chat and presence,
 * approves subscription requests when configured, and answers the server's IQs.
 *
 * <p>Stateless and static, so a client in the steady state costs no object beyond itself.
 */
final class IncomingStanzas {

    private static final String ROSTER_NS = "jabber:iq:roster";
    private static final String PING_NS = "urn:xmpp:ping";

    private IncomingStanzas() {
    }

    static void onStanza(XmppClient client, Element stanza) {
        switch (stanza.getName()) {
            case "message" -> onMessage(client, stanza);
            case "presence" -> onPresence(client, stanza);
            case "iq" -> answerServerIq(client, stanza);
            default -> { }
        }
    }

    /** RFC 6121 §3.1.3: with auto-approval on, a subscription request is approved at once. */
    private static void onPresence(XmppClient client, Element presence) {
        if (client.options().autoApprove() && "subscribe".equals(presence.attributeValue("type"))) {
            client.send("<presence type='subscribed' to='" + bare(presence.attributeValue("from")) + "'/>");
        }
        client.events().presenceReceived(client, presence);
    }

    /** The id carries the send time that {@link XmppClient#sendChat} stamped in it. */
    private static void onMessage(XmppClient client, Element message) {
        if ("error".equals(message.attributeValue("type"))) {
            client.events().messageError(client, message);
            return;
        }
        client.events().messageArrived(client, message);
        String id = message.attributeValue("id");
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash > 0) {
            try {
                client.events().messageReceived(client, System.nanoTime() - Long.parseLong(id.substring(dash + 1)));
            } catch (NumberFormatException e) {
                // not one of ours: a server notice, ignored
            }
        }
    }

    /**
     * A client must answer every get/set (RFC 6120 §8.2.3): roster pushes get a result
     * (RFC 6121 §2.1.6), pings too (XEP-0199 §4.2), anything else service-unavailable. Results
     * and errors answer the client's own IQs and go to its events.
     */
    static void answerServerIq(XmppClient client, Element iq) {
        String type = iq.attributeValue("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            client.events().iqAnswered(client, iq);
            return;
        }
        String id = iq.attributeValue("id", "");
        String from = iq.attributeValue("from");
        String to = from == null ? "" : " to='" + from + "'";
        Element child = iq.elements().isEmpty() ? null : iq.elements().get(0);
        String ns = child == null ? "" : child.getNamespaceURI();
        if (ROSTER_NS.equals(ns) || PING_NS.equals(ns)) {
            client.send("<iq type='result' id='" + id + "'" + to + "/>");
        } else {
            client.send("<iq type='error' id='" + id + "'" + to + "><error type='cancel'>"
                    + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        }
    }

    private static String bare(String jid) {
        if (jid == null) {
            return "";
        }
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
