package im.parley.server.modules.carbons;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message Carbons (XEP-0280) end to end: Romeo has three resources, {@code home} and
 * {@code garden} with carbons enabled, {@code phone} without; Juliet has one.
 */
class CarbonsModuleTest {

    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";

    private TestServer server;
    private TestClient home;
    private TestClient garden;
    private TestClient phone;
    private TestClient juliet;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test").user("juliet@parley.test").user("tybalt@parley.test");
        home = server.login("romeo@parley.test", "home");
        garden = server.login("romeo@parley.test", "garden");
        phone = server.login("romeo@parley.test", "phone");
        juliet = server.login("juliet@parley.test", "balcony");
        for (TestClient client : List.of(home, garden, phone, juliet)) {
            sends(client, "<presence/>");
        }
        // home has the highest priority: it gets what is sent to Romeo's bare JID.
        sends(home, "<presence><priority>5</priority></presence>");
        enable(home);
        enable(garden);
        drain();
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static void sends(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    private static void enable(TestClient client) {
        sends(client, "<iq type='set' id='e1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
        assertThat(client.received()).filteredOn(s -> "e1".equals(s.attributeValue("id")))
                .singleElement().satisfies(r -> assertThat(r.attributeValue("type")).isEqualTo("result"));
    }

    private void drain() {
        for (TestClient client : List.of(home, garden, phone, juliet)) {
            client.received();
        }
    }

    private static List<Element> messages(TestClient client) {
        return client.received().stream().filter(s -> "message".equals(s.getName())).toList();
    }

    /** The message inside a carbon copy's {@code <direction><forwarded/>}. */
    private static Element forwarded(Element carbon, String direction) {
        Element wrapper = carbon.element(QName.get(direction, CARBONS));
        assertThat(wrapper).as(carbon.asXML()).isNotNull();
        return wrapper.element(QName.get("forwarded", FORWARD)).elements().get(0);
    }

    @Test
    void theServerAnnouncesCarbons_xep0280_3() {
        assertThat(server.serverInfo().infoQuery(null).elements("feature").stream()
                .map(f -> f.attributeValue("var"))).contains(CARBONS);
    }

    @Test
    void aMessageToTheBareJidIsCopiedToTheEnabledResourcesThatDidNotGetIt_xep0280_6() {
        sends(juliet, "<message to='romeo@parley.test' type='chat' id='m1'><body>Wherefore art thou</body></message>");

        assertThat(messages(home)).singleElement()
                .satisfies(original -> assertThat(original.elementText("body")).isEqualTo("Wherefore art thou"));
        assertThat(messages(garden)).singleElement().satisfies(carbon -> {
            assertThat(carbon.attributeValue("from")).isEqualTo("romeo@parley.test");
            assertThat(carbon.attributeValue("to")).isEqualTo("romeo@parley.test/garden");
            assertThat(carbon.attributeValue("type")).isEqualTo("chat");
            Element inner = forwarded(carbon, "received");
            assertThat(inner.attributeValue("from")).isEqualTo("juliet@parley.test/balcony");
            assertThat(inner.elementText("body")).isEqualTo("Wherefore art thou");
        });
        assertThat(messages(phone)).as("phone did not enable carbons").isEmpty();
    }

    @Test
    void aMessageToAFullJidIsCopiedToTheOtherEnabledResources_xep0280_6() {
        sends(juliet, "<message to='romeo@parley.test/phone' type='chat' id='m2'><body>Hist</body></message>");

        assertThat(messages(phone)).singleElement().satisfies(m -> assertThat(m.element(QName.get("received", CARBONS))).isNull());
        assertThat(messages(home)).singleElement().satisfies(c -> assertThat(forwarded(c, "received").elementText("body")).isEqualTo("Hist"));
        assertThat(messages(garden)).singleElement().satisfies(c -> assertThat(forwarded(c, "received").elementText("body")).isEqualTo("Hist"));
    }

    @Test
    void whatAResourceSendsIsCopiedToTheOthersButNotToItself_xep0280_7() {
        sends(phone, "<message to='juliet@parley.test' type='chat' id='m3'><body>Neither, fair saint</body></message>");

        assertThat(messages(juliet)).singleElement();
        assertThat(messages(phone)).isEmpty();
        for (TestClient enabled : List.of(home, garden)) {
            assertThat(messages(enabled)).singleElement().satisfies(carbon -> {
                assertThat(carbon.attributeValue("from")).isEqualTo("romeo@parley.test");
                Element inner = forwarded(carbon, "sent");
                assertThat(inner.attributeValue("from")).isEqualTo("romeo@parley.test/phone");
                assertThat(inner.attributeValue("to")).isEqualTo("juliet@parley.test");
            });
        }
    }

    @Test
    void aPrivateMessageIsNotCopiedAndArrivesWithoutItsMark_xep0280_8() {
        sends(home, "<message to='juliet@parley.test' type='chat' id='m4'><body>secret</body>"
                + "<private xmlns='urn:xmpp:carbons:2'/></message>");
        sends(juliet, "<message to='romeo@parley.test' type='chat' id='m5'><body>also secret</body>"
                + "<private xmlns='urn:xmpp:carbons:2'/></message>");

        assertThat(messages(garden)).isEmpty();
        assertThat(messages(juliet)).singleElement()
                .satisfies(m -> assertThat(m.element(QName.get("private", CARBONS))).isNull());
        assertThat(messages(home)).singleElement()
                .satisfies(m -> assertThat(m.element(QName.get("private", CARBONS))).isNull());
    }

    @Test
    void theNoCopyHintGroupChatAndHeadlinesAreNotCopied_xep0280_6_xep0334() {
        sends(juliet, "<message to='romeo@parley.test' type='chat' id='n1'><body>hinted</body>"
                + "<no-copy xmlns='urn:xmpp:hints'/></message>");
        sends(juliet, "<message to='romeo@parley.test/home' type='headline' id='n2'><body>news</body></message>");
        sends(juliet, "<message to='romeo@parley.test' id='n3'/>");

        assertThat(messages(garden)).isEmpty();
    }

    @Test
    void normalMessagesWithABodyOrChatStatesAreCopied_xep0280_6() {
        sends(juliet, "<message to='romeo@parley.test/home' id='b1'><body>normal</body></message>");
        sends(juliet, "<message to='romeo@parley.test/home' id='b2'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");

        assertThat(messages(garden)).hasSize(2);
    }

    @Test
    void disablingStopsTheCopiesAndRepeatingIsNoError_xep0280_5_and_10_1() {
        enable(garden);
        sends(garden, "<iq type='set' id='d1'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
        sends(garden, "<iq type='set' id='d2'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
        assertThat(garden.received()).extracting(r -> r.attributeValue("type")).containsExactly("result", "result");

        sends(juliet, "<message to='romeo@parley.test' type='chat' id='m6'><body>hello</body></message>");

        assertThat(messages(garden)).isEmpty();
    }

    @Test
    void nobodyElseCanSwitchAUsersCarbons_xep0280_4_1() {
        sends(juliet, "<iq type='set' id='x1' to='romeo@parley.test'><enable xmlns='urn:xmpp:carbons:2'/></iq>");

        assertThat(juliet.received()).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("type")).isEqualTo("error");
            assertThat(error.element("error").element(QName.get("not-allowed", "urn:ietf:params:xml:ns:xmpp-stanzas")))
                    .isNotNull();
        });
    }
}
