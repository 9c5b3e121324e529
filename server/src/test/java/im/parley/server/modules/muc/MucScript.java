package im.parley.server.modules.muc;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.modules.XmppScript;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;

/** What a client does in MUC tests (XEP-0045), and what it reads in the room's stanzas. */
final class MucScript {

    static final String MUC = "http://jabber.org/protocol/muc";
    static final String USER = MUC + "#user";
    static final String OWNER = MUC + "#owner";
    static final String ADMIN = MUC + "#admin";

    private MucScript() {
    }

    /** Sends a join presence to {@code room/nick} with {@code mucChildren} in its MUC {@code <x/>}. */
    static List<Element> join(TestClient client, String occupantJid, String mucChildren) {
        return send(client, "<presence to='" + occupantJid + "'><x xmlns='" + MUC + "'>"
                + mucChildren + "</x></presence>");
    }

    /** Creates an instant room (§10.1.2): join, then accept the default configuration; returns what came after the join. */
    static void createInstant(TestClient owner, String occupantJid) {
        List<Element> joined = send(owner, "<presence to='" + occupantJid + "'><x xmlns='" + MUC + "'/></presence>");
        assertThat(statusCodes(last(joined, "presence"))).contains(110, 201);
        String room = occupantJid.substring(0, occupantJid.indexOf('/'));
        List<Element> answer = send(owner, "<iq type='set' id='create' to='" + room + "'><query xmlns='" + OWNER
                + "'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        assertThat(answer).extracting(e -> e.attributeValue("type")).containsExactly("result");
    }

    /** Creates a reserved room (§10.1.3) with these form fields (var to value). */
    static void createReserved(TestClient owner, String occupantJid, String... fieldsAndValues) {
        send(owner, "<presence to='" + occupantJid + "'><x xmlns='" + MUC + "'/></presence>");
        String room = occupantJid.substring(0, occupantJid.indexOf('/'));
        StringBuilder form = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/muc#roomconfig</value></field>");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            form.append("<field var='").append(fieldsAndValues[i]).append("'><value>").append(fieldsAndValues[i + 1])
                    .append("</value></field>");
        }
        List<Element> answer = send(owner, "<iq type='set' id='config' to='" + room + "'><query xmlns='" + OWNER + "'>"
                + form + "</x></query></iq>");
        assertThat(answer).extracting(e -> e.attributeValue("type")).containsExactly("result");
    }

    /** A server for {@code parley.test} with the accounts romeo and juliet, on a fixed clock. */
    static TestServer romeoAndJuliet(Path dataDir) throws Exception {
        return reopen(dataDir).user("romeo@parley.test").user("juliet@parley.test");
    }

    /** The server of {@link #romeoAndJuliet} started again on the same data (its accounts are there). */
    static TestServer reopen(Path dataDir) throws Exception {
        return new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dataDir),
                new MovableClock(Instant.parse("2026-01-01T00:00:00Z")), ModuleCatalog.discover());
    }

    /** The features of a room's disco#info (XEP-0045 §6.4). */
    static List<String> roomFeatures(TestClient client, String room) {
        Element info = send(client, "<iq type='get' id='info' to='" + room
                + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>").get(0).element("query");
        return info.elements("feature").stream().map(feature -> feature.attributeValue("var")).toList();
    }

    static List<Element> send(TestClient client, String xml) {
        return XmppScript.parse(client.send(xml));
    }

    static Element last(List<Element> stanzas, String name) {
        Element found = null;
        for (Element stanza : stanzas) {
            if (name.equals(stanza.getName())) {
                found = stanza;
            }
        }
        assertThat(found).as("a %s among %s", name, stanzas).isNotNull();
        return found;
    }

    static List<Element> named(List<Element> stanzas, String name) {
        return stanzas.stream().filter(stanza -> name.equals(stanza.getName())).toList();
    }

    static Element userX(Element stanza) {
        return stanza.element(QName.get("x", USER));
    }

    static Element item(Element presence) {
        return userX(presence).element("item");
    }

    static List<Integer> statusCodes(Element stanza) {
        Element x = userX(stanza);
        return x == null ? List.of() : x.elements("status").stream()
                .map(status -> Integer.parseInt(status.attributeValue("code"))).toList();
    }

    static String errorCondition(Element stanza) {
        assertThat(stanza.attributeValue("type")).as("%s", stanza.asXML()).isEqualTo("error");
        return stanza.element("error").elements().stream().filter(e -> !"text".equals(e.getName())).findFirst()
                .orElseThrow().getName();
    }
}
