package im.parley.server.modules.roster;

import im.parley.server.testing.TestClient;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dom4j.Element;

/** Script helpers for roster and presence scenarios: the stanzas a client received, by kind. */
public final class RosterScript {

    public static final String ROSTER_GET = "<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>";

    private RosterScript() {
    }

    /**
     * Sends raw XML and leaves the server's output unread, so that {@link TestClient#stanzas()}
     * returns it along with everything else the client received.
     */
    public static void send(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        client.channel().runPendingTasks();
    }

    /** RFC 6121 §2.2 and §4.2: the usual login: fetch the roster (interested), then initial presence (available). */
    public static void fetchRosterAndGoOnline(TestClient client) {
        send(client, ROSTER_GET);
        send(client, "<presence/>");
    }

    /** Runs the whole §3.1 handshake both ways and discards what the clients received. */
    public static void befriend(TestClient a, TestClient b) {
        String aBare = a.jid().substring(0, a.jid().indexOf('/'));
        String bBare = b.jid().substring(0, b.jid().indexOf('/'));
        send(a, "<presence to='" + bBare + "' type='subscribe'/>");
        send(b, "<presence to='" + aBare + "' type='subscribed'/>");
        send(b, "<presence to='" + aBare + "' type='subscribe'/>");
        send(a, "<presence to='" + bBare + "' type='subscribed'/>");
        a.stanzas();
        b.stanzas();
    }

    /** The presence stanzas among {@code stanzas}. */
    public static List<Element> presences(List<Element> stanzas) {
        return stanzas.stream().filter(e -> "presence".equals(e.getName())).toList();
    }

    /** The presence stanzas of one type ({@code null}: available). */
    public static List<Element> presences(List<Element> stanzas, String type) {
        return presences(stanzas).stream()
                .filter(e -> type == null ? e.attributeValue("type") == null : type.equals(e.attributeValue("type")))
                .toList();
    }

    /** The items of the roster pushes among {@code stanzas} (RFC 6121 §2.1.6). */
    public static List<Element> pushedItems(List<Element> stanzas) {
        return stanzas.stream()
                .filter(e -> "iq".equals(e.getName()) && "set".equals(e.attributeValue("type")))
                .map(e -> e.element("query"))
                .filter(q -> q != null && RosterModule.NAMESPACE.equals(q.getNamespaceURI()))
                .map(q -> q.element("item"))
                .toList();
    }

    /** The one IQ response with this id. */
    public static Element response(List<Element> stanzas, String id) {
        List<Element> matching = stanzas.stream()
                .filter(e -> "iq".equals(e.getName()) && id.equals(e.attributeValue("id"))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one response with id " + id + " in " + stanzas);
        }
        return matching.get(0);
    }

    /** The defined condition of an error stanza. */
    public static String errorCondition(Element stanza) {
        Element error = stanza.element("error");
        if (error == null || error.elements().isEmpty()) {
            throw new AssertionError("not an error: " + stanza.asXML());
        }
        return error.elements().get(0).getName();
    }
}
