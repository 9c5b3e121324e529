package im.parley.server.modules.vcard;

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

/** vcard-temp end to end (XEP-0054). */
class VcardModuleTest {

    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

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

    @Test
    void ownVcardIsEmptyUntilSetThenReturned() {
        // XEP-0054 §3.1: the user retrieves its own vCard with an IQ-get without 'to'.
        Element empty = exchange(juliet, "<iq type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>");
        assertThat(empty.attributeValue("type")).isEqualTo("result");
        Element vcard = empty.element(QName.get("vCard", "vcard-temp"));
        assertThat(vcard).isNotNull();
        assertThat(vcard.elements()).isEmpty();

        // XEP-0054 §3.2: the user publishes its vCard with an IQ-set.
        Element set = exchange(juliet, "<iq type='set' id='v2'><vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN>"
                + "<NICKNAME>JC</NICKNAME></vCard></iq>");
        assertThat(set.attributeValue("type")).isEqualTo("result");
        assertThat(set.attributeValue("id")).isEqualTo("v2");

        Element got = exchange(juliet, "<iq type='get' id='v3' to='juliet@parley.test'><vCard xmlns='vcard-temp'/></iq>");
        Element stored = got.element(QName.get("vCard", "vcard-temp"));
        assertThat(stored.elementText(QName.get("FN", "vcard-temp"))).isEqualTo("Juliet Capulet");
        assertThat(stored.elementText(QName.get("NICKNAME", "vcard-temp"))).isEqualTo("JC");
    }

    @Test
    void anyoneRetrievesAnotherUsersVcardFromTheServer() {
        exchange(juliet, "<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN></vCard></iq>");

        // XEP-0054 §3.3: an IQ-get to the other user's bare JID is answered by the server.
        Element got = exchange(romeo, "<iq type='get' id='v2' to='juliet@parley.test'><vCard xmlns='vcard-temp'/></iq>");
        assertThat(got.attributeValue("type")).isEqualTo("result");
        assertThat(got.attributeValue("from")).isEqualTo("juliet@parley.test");
        assertThat(got.element(QName.get("vCard", "vcard-temp")).elementText(QName.get("FN", "vcard-temp")))
                .isEqualTo("Juliet Capulet");
        assertThat(juliet.stanzas()).as("not forwarded to the user's resources").isEmpty();
    }

    @Test
    void aMissingVcardOfAnotherUserAndAMissingUserLookTheSame() {
        // XEP-0054 §3.3: no vCard and no such user give the same error (no directory harvesting).
        Element noVcard = exchange(romeo, "<iq type='get' id='v1' to='juliet@parley.test'><vCard xmlns='vcard-temp'/></iq>");
        Element noUser = exchange(romeo, "<iq type='get' id='v2' to='nobody@parley.test'><vCard xmlns='vcard-temp'/></iq>");
        assertThat(condition(noVcard)).isEqualTo("item-not-found");
        assertThat(condition(noUser)).isEqualTo("item-not-found");
    }

    @Test
    void settingAnotherUsersVcardIsForbidden() {
        // XEP-0054 §3.2: "If a user attempts to perform an IQ set on another user's vCard ... Forbidden".
        Element reply = exchange(romeo, "<iq type='set' id='v1' to='juliet@parley.test'>"
                + "<vCard xmlns='vcard-temp'><FN>Not Juliet</FN></vCard></iq>");
        assertThat(condition(reply)).isEqualTo("forbidden");

        Element got = exchange(romeo, "<iq type='get' id='v2' to='juliet@parley.test'><vCard xmlns='vcard-temp'/></iq>");
        assertThat(condition(got)).isEqualTo("item-not-found");
    }

    @Test
    void anOversizedVcardIsNotAcceptable() {
        String photo = "A".repeat(VcardModule.DEFAULT_MAX_BYTES);
        Element reply = exchange(juliet, "<iq type='set' id='v1'><vCard xmlns='vcard-temp'><PHOTO><BINVAL>" + photo
                + "</BINVAL></PHOTO></vCard></iq>");
        assertThat(condition(reply)).isEqualTo("not-acceptable");
    }

    @Test
    void vcardTempIsAnnounced() {
        assertThat(server.moduleContext().serverFeatures()).contains("vcard-temp");
    }
}
