package im.parley.server.modules.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
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

/** Blocking Command end to end (XEP-0191). */
class BlockingModuleTest {

    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String BLOCKING = "urn:xmpp:blocking";

    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test").user("juliet@parley.test").user("nurse@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
        juliet = server.login("juliet@parley.test", "balcony");
        sends(romeo, "<presence/>");
        sends(juliet, "<presence/>");
    }

    @AfterEach
    void close() {
        server.close();
    }

    /** Sends and leaves the server's output unread for {@link TestClient#stanzas()}. */
    private static void sends(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    private static String condition(Element stanza) {
        assertThat(stanza.attributeValue("type")).as(stanza.asXML()).isEqualTo("error");
        return stanza.element("error").elements().stream()
                .filter(e -> STANZAS.equals(e.getNamespaceURI()))
                .findFirst().orElseThrow().getName();
    }

    private static List<String> items(Element parent) {
        return parent.elements().stream().map(item -> item.attributeValue("jid")).toList();
    }

    private void julietBlocksRomeo() {
        sends(juliet, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='romeo@parley.test'/></block></iq>");
        assertThat(juliet.received()).filteredOn(s -> "b1".equals(s.attributeValue("id")))
                .singleElement().satisfies(r -> assertThat(r.attributeValue("type")).isEqualTo("result"));
    }

    @Test
    void blockingIsPushedToResourcesThatRetrievedTheList() {
        TestClient garden = server.login("juliet@parley.test", "garden");

        // XEP-0191 §3.2: an empty list is an empty <blocklist/>.
        sends(juliet, "<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        Element empty = juliet.received().get(0);
        assertThat(empty.attributeValue("type")).isEqualTo("result");
        assertThat(empty.element(QName.get("blocklist", BLOCKING)).elements()).isEmpty();

        // XEP-0191 §3.3: the server returns a result, then pushes the block to the resources
        // that requested the block list.
        sends(juliet, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='romeo@parley.test'/></block></iq>");
        List<Element> out = juliet.received();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).attributeValue("id")).isEqualTo("b1");
        assertThat(out.get(0).attributeValue("type")).isEqualTo("result");
        Element push = out.get(1);
        assertThat(push.getName()).isEqualTo("iq");
        assertThat(push.attributeValue("type")).isEqualTo("set");
        assertThat(items(push.element(QName.get("block", BLOCKING)))).containsExactly("romeo@parley.test");
        assertThat(garden.received()).as("garden never asked for the list").isEmpty();

        sends(juliet, "<iq type='get' id='l2'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        assertThat(items(juliet.received().get(0).element(QName.get("blocklist", BLOCKING))))
                .containsExactly("romeo@parley.test");
    }

    @Test
    void blockingSendsUnavailablePresenceFromEachAvailableResource() {
        TestClient garden = server.login("juliet@parley.test", "garden");
        sends(garden, "<presence/>");
        server.login("juliet@parley.test", "hidden");  // bound, never available

        julietBlocksRomeo();

        // XEP-0191 §3.3: the blocked contact sees the user's available resources go offline.
        assertThat(romeo.received())
                .allSatisfy(p -> {
                    assertThat(p.getName()).isEqualTo("presence");
                    assertThat(p.attributeValue("type")).isEqualTo("unavailable");
                })
                .extracting(p -> p.attributeValue("from"))
                .containsExactlyInAnyOrder("juliet@parley.test/balcony", "juliet@parley.test/garden");
    }

    @Test
    void stanzasFromABlockedJidDoNotReachTheUser() {
        julietBlocksRomeo();
        romeo.received();

        // XEP-0191 §3.3: presence is dropped without an error...
        sends(romeo, "<presence to='juliet@parley.test'/>");
        sends(romeo, "<presence to='juliet@parley.test/balcony' type='subscribe'/>");
        // ...a message is answered with service-unavailable, as if the user were offline...
        sends(romeo, "<message to='juliet@parley.test/balcony' type='chat' id='m1'><body>hi</body></message>");
        // ...and so is an IQ get or set.
        sends(romeo, "<iq to='juliet@parley.test/balcony' type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>");

        assertThat(juliet.received()).isEmpty();
        List<Element> errors = romeo.received();
        assertThat(errors).extracting(e -> e.attributeValue("id")).containsExactly("m1", "q1");
        assertThat(errors).allSatisfy(e -> {
            assertThat(condition(e)).isEqualTo("service-unavailable");
            assertThat(e.attributeValue("from")).isEqualTo("juliet@parley.test/balcony");
        });
    }

    @Test
    void iqsFromABlockedJidToTheBareJidAreRefused_xep0191_3_3() {
        julietBlocksRomeo();
        romeo.received();

        sends(romeo, "<iq to='juliet@parley.test' type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>");

        assertThat(romeo.received()).singleElement().satisfies(e -> {
            assertThat(e.attributeValue("id")).isEqualTo("v1");
            assertThat(condition(e)).isEqualTo("service-unavailable");
        });
    }

    @Test
    void stanzasToABlockedJidAreRefusedWithTheBlockedCondition() {
        julietBlocksRomeo();
        romeo.received();

        sends(juliet, "<message to='romeo@parley.test/orchard' type='chat' id='m1'><body>hi</body></message>");

        // XEP-0191 §3.3: not-acceptable with <blocked xmlns='urn:xmpp:blocking:errors'/>.
        Element error = juliet.received().get(0);
        assertThat(error.attributeValue("id")).isEqualTo("m1");
        assertThat(condition(error)).isEqualTo("not-acceptable");
        assertThat(error.element("error").element(QName.get("blocked", "urn:xmpp:blocking:errors"))).isNotNull();
        assertThat(romeo.received()).isEmpty();
    }

    @Test
    void aBlockedDomainCoversItsUsers() {
        sends(juliet, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='montague.test'/></block></iq>");
        juliet.received();

        // XEP-0191 §6: a domain item matches every JID at that domain.
        sends(juliet, "<message to='tybalt@montague.test' id='m1'><body>hi</body></message>");
        assertThat(condition(juliet.received().get(0))).isEqualTo("not-acceptable");
    }

    @Test
    void unblockingRestoresCommunication() {
        julietBlocksRomeo();
        sends(juliet, "<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        juliet.received();
        romeo.received();

        // XEP-0191 §3.4: unblock one JID, result then push.
        sends(juliet, "<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'><item jid='romeo@parley.test'/></unblock></iq>");
        List<Element> out = juliet.received();
        assertThat(out.get(0).attributeValue("type")).isEqualTo("result");
        assertThat(items(out.get(1).element(QName.get("unblock", BLOCKING)))).containsExactly("romeo@parley.test");

        sends(romeo, "<message to='juliet@parley.test/balcony' type='chat' id='m1'><body>hi</body></message>");
        assertThat(juliet.received()).extracting(m -> m.attributeValue("id")).containsExactly("m1");
        sends(juliet, "<message to='romeo@parley.test/orchard' type='chat' id='m2'><body>hi</body></message>");
        assertThat(romeo.received()).extracting(m -> m.attributeValue("id")).containsExactly("m2");
    }

    @Test
    void unblockWithoutItemsUnblocksEveryone() throws Exception {
        sends(juliet, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='romeo@parley.test'/>"
                + "<item jid='nurse@parley.test'/></block></iq>");
        // XEP-0191 §3.5: an empty <unblock/> empties the list.
        sends(juliet, "<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'/></iq>");
        juliet.received();

        assertThat(server.storage().blockLists().load(Jids.parseEntityBare("juliet@parley.test"))).isEmpty();
        sends(romeo, "<message to='juliet@parley.test/balcony' type='chat' id='m1'><body>hi</body></message>");
        assertThat(juliet.received()).extracting(m -> m.attributeValue("id")).containsExactly("m1");
    }

    @Test
    void blockRequestsWithoutItemsOrWithBadJidsAreRejected() {
        // XEP-0191 §3.3: a <block/> without items is a bad request.
        sends(juliet, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'/></iq>");
        assertThat(condition(juliet.received().get(0))).isEqualTo("bad-request");
        sends(juliet, "<iq type='set' id='b2'><block xmlns='urn:xmpp:blocking'><item jid='@@'/></block></iq>");
        assertThat(condition(juliet.received().get(0))).isEqualTo("jid-malformed");
    }

    @Test
    void theListOfAnOfflineAccountIsLoadedBeforeItsStanzasAreDelivered() throws Exception {
        julietBlocksRomeo();
        juliet.drop();
        romeo.received();
        TestClient nurse = server.login("nurse@parley.test", "kitchen");

        // Juliet has no session, so her list is not in memory: the stanza waits for it.
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>hi</body></message>");
        sends(nurse, "<message to='juliet@parley.test' type='chat' id='m2'><body>hi</body></message>");

        assertThat(condition(romeo.received().get(0))).isEqualTo("service-unavailable");
        assertThat(nurse.received()).isEmpty();
        // XEP-0160: the allowed message went on to offline storage; the blocked one did not.
        assertThat(server.storage().offline().list(Jids.parseEntityBare("juliet@parley.test")))
                .singleElement().satisfies(m -> assertThat(m.stanzaXml()).contains("m2"));
    }

    @Test
    void blockingIsAnnounced() {
        assertThat(server.moduleContext().serverFeatures()).contains(BLOCKING);
    }
}
