package im.parley.server.modules.csi;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.sm.AuthenticatedStream;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XEP-0352 client state indication through the whole server. Presence updates come from another
 * resource of the same account (RFC 6121 §4.2.2: a resource's presence goes to the account's
 * other available resources), chat states and messages from romeo.
 */
class ClientStateIndicationTest {

    private static final String CSI = "urn:xmpp:csi:0";
    private static final String PHONE = "juliet@example.org/phone";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient phone;
    private TestClient desk;
    private TestClient romeo;

    private void start(int maxBuffered) throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("example.org")).withDataDir(dir)
                .with(ClientStateModule.MAX_BUFFERED, maxBuffered));
        server.user("romeo@example.org").user("juliet@example.org");
        phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        desk = server.login("juliet@example.org", "desk");
        desk.send("<presence/>");
        romeo = server.login("romeo@example.org", "orchard");
        phone.output();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offeredAfterAuthentication() throws Exception {
        start(100);
        TestClient client = server.connect();
        assertThat(client.send(TestClient.header("example.org"))).doesNotContain(CSI);
        // After binding the features were already sent; the feature is listed with binding (XEP-0352 §2).
        assertThat(AuthenticatedStream.featuresAfterSasl(server, "romeo@example.org"))
                .contains("<csi xmlns='" + CSI + "'/>");
    }

    @Test
    void whileInactivePresenceUpdatesWaitCollapsedPerSender() throws Exception {
        // XEP-0352 §1: "the server can ... suppress or delay" presence updates while inactive.
        start(100);
        assertThat(phone.send("<inactive xmlns='" + CSI + "'/>")).isEmpty();
        desk.send("<presence><show>away</show></presence>");
        desk.send("<presence><show>xa</show></presence>");
        desk.send("<presence><show>dnd</show></presence>");
        assertThat(phone.output()).isEmpty();
        List<Element> flushed = AuthenticatedStream.parse(phone.send("<active xmlns='" + CSI + "'/>"));
        assertThat(flushed).extracting(e -> e.elementText("show")).containsExactly("dnd");
        desk.send("<presence><show>chat</show></presence>");
        assertThat(phone.stanzas()).extracting(e -> e.elementText("show")).containsExactly("chat");
    }

    @Test
    void activeFlushesWhatWasHeldInOrder() throws Exception {
        start(100);
        phone.send("<inactive xmlns='" + CSI + "'/>");
        desk.send("<presence><show>away</show></presence>");
        romeo.send("<message to='" + PHONE + "' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/>"
                + "</message>");
        desk.send("<presence><show>dnd</show></presence>");
        String out = phone.send("<active xmlns='" + CSI + "'/>");
        // The collapsed presence takes the place of its latest update, after the chat state.
        assertThat(out.indexOf("composing")).isPositive().isLessThan(out.indexOf("dnd"));
        assertThat(out).doesNotContain("away");
    }

    @Test
    void messagesWithABodyGoOutAtOnceAfterWhatWasHeld() throws Exception {
        // Order is kept: held stanzas go out before the important one.
        start(100);
        phone.send("<inactive xmlns='" + CSI + "'/>");
        desk.send("<presence><show>away</show></presence>");
        romeo.send("<message to='" + PHONE + "' type='chat'><body>hello</body></message>");
        List<Element> out = phone.stanzas();
        assertThat(out).extracting(Element::getName).containsExactly("presence", "message");
        assertThat(out.get(1).elementText("body")).isEqualTo("hello");
        // And nothing is left to flush.
        assertThat(phone.send("<active xmlns='" + CSI + "'/>")).isEmpty();
    }

    @Test
    void subscriptionRequestsAndIqsAreImportant() throws Exception {
        start(100);
        phone.send("<inactive xmlns='" + CSI + "'/>");
        romeo.send("<presence to='juliet@example.org' type='subscribe'/>");
        assertThat(phone.stanzas()).anyMatch(e -> "subscribe".equals(e.attributeValue("type")));
        romeo.send("<iq to='" + PHONE + "' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>");
        assertThat(phone.stanzas()).extracting(Element::getName).contains("iq");
    }

    @Test
    void theBufferIsBounded() throws Exception {
        start(2);
        phone.send("<inactive xmlns='" + CSI + "'/>");
        for (int i = 1; i <= 2; i++) {
            romeo.send("<message to='" + PHONE + "' type='chat' id='c" + i + "'>"
                    + "<paused xmlns='http://jabber.org/protocol/chatstates'/></message>");
        }
        assertThat(phone.output()).isEmpty();
        romeo.send("<message to='" + PHONE + "' type='chat' id='c3'>"
                + "<paused xmlns='http://jabber.org/protocol/chatstates'/></message>");
        assertThat(phone.stanzas()).extracting(e -> e.attributeValue("id")).containsExactly("c1", "c2", "c3");
    }

    @Test
    void notOfferedWhenDisabled() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("example.org")).withDataDir(dir)
                .with(ClientStateModule.ENABLED, false));
        server.user("romeo@example.org");
        assertThat(AuthenticatedStream.featuresAfterSasl(server, "romeo@example.org"))
                .doesNotContain(CSI);
        TestClient client = server.login("romeo@example.org", "x");
        assertThat(client.send("<inactive xmlns='" + CSI + "'/>")).contains("unsupported-stanza-type");
    }

    @Test
    void enteringARoomWhileInactiveCompletesWithItsSubject_xep0045_7_2_15() throws Exception {
        start(100);
        String room = "hall@conference.example.org";
        romeo.send("<presence to='" + room + "/romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        romeo.send("<iq type='set' id='c' to='" + room + "'><query xmlns='http://jabber.org/protocol/muc#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
        phone.send("<inactive xmlns='" + CSI + "'/>");

        // The room's presences may wait, but the subject, the last step of entering, is important
        // and brings them along (as Prosody's mod_csi_simple): the client is in the room at once.
        String entered = phone.send("<presence to='" + room + "/juliet'><x xmlns='http://jabber.org/protocol/muc'/>"
                + "</presence>");
        assertThat(entered).contains("from='" + room + "/romeo'", "code='110'", "<subject");
        assertThat(entered.indexOf("code='110'")).isLessThan(entered.indexOf("<subject"));
    }

    @Test
    void typicalClassification() {
        assertThat(TrafficImportance.isImportant(parse("<presence/>"))).isFalse();
        assertThat(TrafficImportance.isImportant(parse("<presence type='unavailable'/>"))).isFalse();
        assertThat(TrafficImportance.isImportant(parse("<presence type='subscribed'/>"))).isTrue();
        assertThat(TrafficImportance.isImportant(parse("<message><body>x</body></message>"))).isTrue();
        assertThat(TrafficImportance.isImportant(parse("<message><sent xmlns='urn:xmpp:carbons:2'><forwarded "
                + "xmlns='urn:xmpp:forward:0'><message><body>x</body></message></forwarded></sent></message>"))).isTrue();
        assertThat(TrafficImportance.isImportant(parse("<message><received xmlns='urn:xmpp:receipts' id='1'/>"
                + "</message>"))).isFalse();
        assertThat(TrafficImportance.isImportant(parse("<message type='error'/>"))).isTrue();
        assertThat(TrafficImportance.isImportant(parse("<iq type='result'/>"))).isTrue();
        assertThat(TrafficImportance.isImportant(parse("<message type='groupchat'><subject/></message>"))).isTrue();
    }

    private static Element parse(String xml) {
        try {
            return org.dom4j.DocumentHelper.parseText(xml).getRootElement();
        } catch (org.dom4j.DocumentException e) {
            throw new AssertionError(e);
        }
    }
}
