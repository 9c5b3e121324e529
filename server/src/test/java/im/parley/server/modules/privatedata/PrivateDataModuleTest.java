package im.parley.server.modules.privatedata;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private XML storage end to end (XEP-0049). */
class PrivateDataModuleTest {

    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String PRIVATE = "jabber:iq:private";

    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
        juliet = server.login("juliet@parley.test", "balcony");
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static Element exchange(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        return client.stanzas().get(0);
    }

    private static String condition(Element iq) {
        assertThat(iq.attributeValue("type")).as(iq.asXML()).isEqualTo("error");
        return iq.element("error").elements().stream()
                .filter(e -> STANZAS.equals(e.getNamespaceURI()))
                .findFirst().orElseThrow().getName();
    }

    private static Element fragment(Element result, String name, String namespace) {
        return result.element(QName.get("query", PRIVATE)).element(QName.get(name, namespace));
    }

    @Test
    void storedFragmentIsReturnedByNamespace() {
        // XEP-0049 §2.1: nothing stored yet: the empty element comes back, not an error.
        Element empty = exchange(juliet, "<iq type='get' id='p1'><query xmlns='jabber:iq:private'>"
                + "<prefs xmlns='parley:test:prefs'/></query></iq>");
        assertThat(empty.attributeValue("type")).isEqualTo("result");
        assertThat(fragment(empty, "prefs", "parley:test:prefs").elements()).isEmpty();

        // XEP-0049 §2.1: store arbitrary XML scoped by its own namespace...
        Element set = exchange(juliet, "<iq type='set' id='p2'><query xmlns='jabber:iq:private'>"
                + "<prefs xmlns='parley:test:prefs'><theme>dark</theme></prefs></query></iq>");
        assertThat(set.attributeValue("type")).isEqualTo("result");

        // ...and retrieve it with a get naming the element and namespace.
        Element got = exchange(juliet, "<iq type='get' id='p3'><query xmlns='jabber:iq:private'>"
                + "<prefs xmlns='parley:test:prefs'/></query></iq>");
        assertThat(fragment(got, "prefs", "parley:test:prefs").elementText(QName.get("theme", "parley:test:prefs")))
                .isEqualTo("dark");

        // Private means private: another account sees only its own (empty) storage.
        Element other = exchange(romeo, "<iq type='get' id='p4'><query xmlns='jabber:iq:private'>"
                + "<prefs xmlns='parley:test:prefs'/></query></iq>");
        assertThat(fragment(other, "prefs", "parley:test:prefs").elements()).isEmpty();
    }

    @Test
    void anotherUsersPrivateDataIsForbidden() {
        // XEP-0049 §3: "If a user attempts to get or set jabber:iq:private data that belongs to
        // another user, the server MUST return a Forbidden ... error".
        assertThat(condition(exchange(romeo, "<iq type='get' id='p1' to='juliet@parley.test'>"
                + "<query xmlns='jabber:iq:private'><prefs xmlns='parley:test:prefs'/></query></iq>")))
                .isEqualTo("forbidden");
        assertThat(condition(exchange(romeo, "<iq type='set' id='p2' to='juliet@parley.test'>"
                + "<query xmlns='jabber:iq:private'><prefs xmlns='parley:test:prefs'/></query></iq>")))
                .isEqualTo("forbidden");
    }

    @Test
    void reservedNamespacesAndMissingChildrenAreNotAcceptable() {
        // XEP-0049 §2.1: "At least one child element with a proper namespace MUST be included;
        // otherwise the server MUST respond with a Not Acceptable error".
        assertThat(condition(exchange(juliet, "<iq type='set' id='p1'><query xmlns='jabber:iq:private'/></iq>")))
                .isEqualTo("not-acceptable");
        assertThat(condition(exchange(juliet, "<iq type='set' id='p2'><query xmlns='jabber:iq:private'>"
                + "<query xmlns='jabber:iq:private'/></query></iq>"))).isEqualTo("not-acceptable");
        assertThat(condition(exchange(juliet, "<iq type='get' id='p3'><query xmlns='jabber:iq:private'>"
                + "<message xmlns='jabber:client'/></query></iq>"))).isEqualTo("not-acceptable");
    }

    @Test
    void anOversizedFragmentIsNotAcceptable() {
        String big = "x".repeat(PrivateDataModule.DEFAULT_MAX_BYTES);
        assertThat(condition(exchange(juliet, "<iq type='set' id='p1'><query xmlns='jabber:iq:private'>"
                + "<prefs xmlns='parley:test:prefs'>" + big + "</prefs></query></iq>"))).isEqualTo("not-acceptable");
    }
}
