package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.SocketClient;
import java.util.List;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * What a Parley user does in a room (XEP-0045) in the federation tests, on any server's MUC
 * service, and what it reads in the room's stanzas.
 */
final class MucSteps {

    static final String MUC = "http://jabber.org/protocol/muc";
    static final String USER = MUC + "#user";
    static final String OWNER = MUC + "#owner";

    private MucSteps() {
    }

    /**
     * Enters {@code room/nick} (§7.2.1, without history: §7.2.15 {@code maxstanzas='0'}) and
     * returns the self-presence (§7.2.3: status 110).
     */
    static Element enter(SocketClient client, String occupantJid) {
        client.send("<presence to='" + occupantJid + "'><x xmlns='" + MUC + "'><history maxstanzas='0'/></x></presence>");
        return client.next(selfPresence(occupantJid));
    }

    /** Creates an instant room (§10.1.2): enter, then accept the default configuration. */
    static void createInstant(SocketClient owner, String occupantJid) {
        Element self = enter(owner, occupantJid);
        assertThat(statusCodes(self)).as("%s", self.asXML()).contains(201);
        String room = bare(occupantJid);
        owner.send("<iq type='set' id='instant' to='" + room + "'><query xmlns='" + OWNER
                + "'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        Element answer = owner.next(e -> "iq".equals(e.getName()) && "instant".equals(e.attributeValue("id")));
        assertThat(answer.attributeValue("type")).as("%s", answer.asXML()).isEqualTo("result");
    }

    /** The occupant's own presence in the room (§7.2.3): from its occupant JID, with status 110. */
    static Predicate<Element> selfPresence(String occupantJid) {
        return e -> presenceFrom(occupantJid).test(e) && (statusCodes(e).contains(110) || e.element("error") != null);
    }

    static Predicate<Element> presenceFrom(String occupantJid) {
        return e -> "presence".equals(e.getName()) && occupantJid.equals(e.attributeValue("from"));
    }

    static Predicate<Element> messageFrom(String occupantJid, String type, String body) {
        return e -> "message".equals(e.getName()) && occupantJid.equals(e.attributeValue("from"))
                && type.equals(e.attributeValue("type")) && body.equals(e.elementText("body"));
    }

    static List<Integer> statusCodes(Element stanza) {
        Element x = stanza.element(QName.get("x", USER));
        return x == null ? List.of() : x.elements("status").stream()
                .map(status -> Integer.parseInt(status.attributeValue("code"))).toList();
    }

    static String bare(String occupantJid) {
        return occupantJid.substring(0, occupantJid.indexOf('/'));
    }
}
