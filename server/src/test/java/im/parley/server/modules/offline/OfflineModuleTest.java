package im.parley.server.modules.offline;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.session.SharedCaches;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline messages end to end: XEP-0160, RFC 6121 §8.5.2.2.1, XEP-0203, XEP-0334. */
class OfflineModuleTest {

    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final Instant STORED_AT = Instant.parse("2024-05-01T10:15:30Z");

    @TempDir
    Path dir;
    private TestServer server;
    private final InlinePool pool = new InlinePool();
    private final OtherNodes otherNodes = new OtherNodes();

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(int quota) throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        // The offline module with the quota under test, loaded last as before.
        server = new TestServer(config, Clock.fixed(STORED_AT, ZoneOffset.UTC), ModuleCatalog.of(
                TestServer.discoveredModulesReplacing(OfflineModule.class, new OfflineModule(quota))), pool, otherNodes);
        server.user("romeo@parley.test").user("juliet@parley.test");
        return server;
    }

    /** Sends and leaves the server's output unread for {@link TestClient#stanzas()} ({@code send} consumes it). */
    static void sends(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    private int stored(String jid) throws Exception {
        return server.storage().offline().count(Jids.parseEntityBare(jid));
    }

    @Test
    void messagesForAnOfflineAccountAreDeliveredInOrderWithADelayStampOnce() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        // XEP-0160 §3: chat and normal messages (also without a type) are stored offline;
        // RFC 6121 §8.5.3.2.1: a chat message to a full JID without session is treated as to the bare JID.
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>one</body></message>");
        sends(romeo, "<message to='juliet@parley.test/balcony' type='chat' id='m2'><body>two</body></message>");
        sends(romeo, "<message to='juliet@parley.test' id='m3'><subject>three</subject></message>");

        assertThat(romeo.received()).as("stored messages are not bounced").isEmpty();
        assertThat(stored("juliet@parley.test")).isEqualTo(3);

        TestClient juliet = server.login("juliet@parley.test", "balcony");
        assertThat(juliet.received()).as("nothing before initial presence (XEP-0160 §2 step 5)").isEmpty();
        sends(juliet, "<presence/>");

        List<Element> delivered = juliet.received();
        assertThat(delivered).extracting(m -> m.attributeValue("id")).containsExactly("m1", "m2", "m3");
        for (Element message : delivered) {
            assertThat(message.attributeValue("from")).isEqualTo("romeo@parley.test/orchard");
            // XEP-0160 §2: the server adds a XEP-0203 delay; XEP-0203 §3: from and UTC stamp.
            Element delay = message.element(org.dom4j.QName.get("delay", "urn:xmpp:delay"));
            assertThat(delay).as("delay in %s", message.asXML()).isNotNull();
            assertThat(delay.attributeValue("from")).isEqualTo("parley.test");
            assertThat(delay.attributeValue("stamp")).isEqualTo("2024-05-01T10:15:30Z");
        }
        assertThat(delivered.get(0).elementText("body")).isEqualTo("one");
        assertThat(stored("juliet@parley.test")).as("delivered messages are deleted").isZero();

        sends(juliet, "<presence type='unavailable'/>");
        sends(juliet, "<presence/>");
        TestClient second = server.login("juliet@parley.test", "garden");
        sends(second, "<presence/>");
        assertThat(juliet.received()).as("delivered once").isEmpty();
        assertThat(second.received()).isEmpty();
    }

    @Test
    void negativePriorityResourcesGetOfflineMessagesOnlyOnceThePriorityIsNonNegative() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        sends(juliet, "<presence><priority>-1</priority></presence>");

        // RFC 6121 §8.5.2.2.1 / XEP-0160 §2 step 2: no resource with non-negative priority.
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>hi</body></message>");
        assertThat(juliet.received()).isEmpty();
        assertThat(stored("juliet@parley.test")).isEqualTo(1);

        // XEP-0160 §2 step 5: "next sends non-negative available presence".
        sends(juliet, "<presence><priority>1</priority></presence>");
        assertThat(juliet.received()).extracting(m -> m.attributeValue("id")).containsExactly("m1");
        assertThat(stored("juliet@parley.test")).isZero();
    }

    /**
     * On a cluster the nodes share the store, and another node may store a message for juliet
     * after her resource that came online here got the stored ones (it took over the messages of
     * a node that stopped, before it learnt of her new resource here). XEP-0160 §2 step 5: the
     * stored messages are delivered to the resource that is available; so once the other node
     * says it stored messages for her, her resource here gets them, with their delay stamp.
     */
    @Test
    void aMessageAnotherNodeStoredAfterTheResourceHereCameOnlineReachesIt() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        sends(juliet, "<presence/>");
        assertThat(juliet.received()).as("nothing stored yet").isEmpty();

        server.storage().offline().append(Jids.parseEntityBare("juliet@parley.test"), "<message xmlns='jabber:client'"
                + " from='romeo@parley.test/orchard' to='juliet@parley.test' type='chat' id='m1'><body>late</body>"
                + "</message>", STORED_AT, OfflineModule.DEFAULT_QUOTA);
        otherNodes.announce(OfflineModule.STORED, "juliet@parley.test");

        assertThat(juliet.received()).singleElement().satisfies(message -> {
            assertThat(message.attributeValue("id")).isEqualTo("m1");
            assertThat(message.element(org.dom4j.QName.get("delay", "urn:xmpp:delay"))).isNotNull();
        });
        assertThat(stored("juliet@parley.test")).isZero();
        assertThat(otherNodes.changes).as("a node that delivered says nothing").isEmpty();
    }

    /**
     * The other side of the test above: a message this node stored and could not deliver (no
     * resource of juliet known here) is announced to the other nodes, after it was written; one
     * it delivered at once is not, and an announcement for an account with no resource here
     * leaves the messages stored for the next available presence.
     */
    @Test
    void aMessageStoredWithNoResourceKnownHereIsAnnouncedToTheOtherNodes() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>one</body></message>");
        assertThat(otherNodes.changes).containsExactly(OfflineModule.STORED + " juliet@parley.test");
        assertThat(stored("juliet@parley.test")).as("written before it was announced").isEqualTo(1);

        otherNodes.announce(OfflineModule.STORED, "juliet@parley.test");
        assertThat(stored("juliet@parley.test")).as("no resource here: kept").isEqualTo(1);

        TestClient juliet = server.login("juliet@parley.test", "balcony");
        sends(juliet, "<presence/>");
        assertThat(juliet.received()).extracting(m -> m.attributeValue("id")).containsExactly("m1");
        assertThat(otherNodes.changes).hasSize(1);
    }

    /**
     * A message the server cannot store now, because the blocking pool refuses the write (its
     * queue full), is not lost without a word: the sender gets a temporary error (RFC 6120
     * §8.3.3.18, {@code resource-constraint}, type {@code wait}) and may send it again.
     */
    @Test
    void aMessageThePoolCannotStoreNowBouncesWithATemporaryError() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");
        pool.refuseNext(Integer.MAX_VALUE);

        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>1</body></message>");

        assertThat(romeo.received()).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("id")).isEqualTo("m1");
            assertThat(error.attributeValue("type")).isEqualTo("error");
            assertThat(error.element("error").attributeValue("type")).isEqualTo("wait");
            assertThat(error.element("error").element(org.dom4j.QName.get("resource-constraint", STANZAS))).isNotNull();
        });
        pool.refuseNext(0);
        assertThat(stored("juliet@parley.test")).isZero();
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m2'><body>2</body></message>");
        assertThat(romeo.received()).isEmpty();
        assertThat(stored("juliet@parley.test")).isEqualTo(1);
    }

    @Test
    void aFullQueueBouncesServiceUnavailable() throws Exception {
        start(2);
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m1'><body>1</body></message>");
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m2'><body>2</body></message>");
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='m3'><body>3</body></message>");

        // XEP-0160 §2 step 3: "if not (e.g., because the recipient's offline message queue is
        // full), the server returns a <service-unavailable/> error to the sender".
        assertThat(romeo.received()).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("id")).isEqualTo("m3");
            assertThat(error.attributeValue("type")).isEqualTo("error");
            assertThat(error.attributeValue("from")).isEqualTo("juliet@parley.test");
            Element condition = error.element("error");
            assertThat(condition.element(org.dom4j.QName.get("service-unavailable", STANZAS))).isNotNull();
            assertThat(condition.elementText(org.dom4j.QName.get("text", STANZAS))).isEqualTo("offline storage full");
        });
        assertThat(stored("juliet@parley.test")).isEqualTo(2);
    }

    @Test
    void headlineGroupchatErrorChatStateOnlyAndNoStoreMessagesAreNotStored() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        // XEP-0160 §3: headline and error messages are not stored (and get no error, RFC 6121 §8.5.2.2.1).
        sends(romeo, "<message to='juliet@parley.test' type='headline' id='h'><body>news</body></message>");
        sends(romeo, "<message to='juliet@parley.test' type='error' id='e'><body>x</body></message>");
        assertThat(romeo.received()).isEmpty();
        // XEP-0160 §3: groupchat is not stored; chat-state-only messages are not stored;
        // XEP-0334 §4: <no-store/>. Not stored means the sender learns it (RFC 6121 §8.5.2.2.1).
        sends(romeo, "<message to='juliet@parley.test' type='groupchat' id='g'><body>room</body></message>");
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='cs'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        sends(romeo, "<message to='juliet@parley.test' type='chat' id='ns'><body>secret</body>"
                + "<no-store xmlns='urn:xmpp:hints'/></message>");
        assertThat(romeo.received()).extracting(m -> m.attributeValue("id") + " " + m.attributeValue("type"))
                .containsExactly("g error", "cs error", "ns error");
        assertThat(stored("juliet@parley.test")).isZero();

        // XEP-0334 §4: <store/> asks for storage even of a headline.
        sends(romeo, "<message to='juliet@parley.test' type='headline' id='st'><body>keep</body>"
                + "<store xmlns='urn:xmpp:hints'/></message>");
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        sends(juliet, "<presence/>");
        assertThat(juliet.received()).extracting(m -> m.attributeValue("id")).containsExactly("st");
    }

    @Test
    void aMessageForAnAccountThatDoesNotExistIsBouncedServiceUnavailable() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        sends(romeo, "<message to='nobody@parley.test' type='chat' id='m1'><body>hello?</body></message>");

        // RFC 6121 §8.5.2.2.1 / §8.5.1: no such account, the server returns service-unavailable.
        assertThat(romeo.received()).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("type")).isEqualTo("error");
            assertThat(error.attributeValue("from")).isEqualTo("nobody@parley.test");
            assertThat(error.attributeValue("to")).isEqualTo("romeo@parley.test/orchard");
            assertThat(error.element("error").element(org.dom4j.QName.get("service-unavailable", STANZAS))).isNotNull();
        });
    }

    @Test
    void offlineStorageIsAnnounced() throws Exception {
        start(OfflineModule.DEFAULT_QUOTA);
        // XEP-0160 §4: the 'msgoffline' feature.
        assertThat(server.moduleContext().serverFeatures()).contains("msgoffline");
    }

    /** The other nodes of a cluster as this server's {@link SharedCaches} meets them: what it told them, and what they tell it. */
    private static final class OtherNodes implements SharedCaches {

        final List<String> changes = new CopyOnWriteArrayList<>();
        private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

        @Override
        public void changed(String cache, String key) {
            changes.add(cache + " " + key);
        }

        @Override
        public void onChange(String cache, Consumer<String> forget) {
            listeners.computeIfAbsent(cache, name -> new CopyOnWriteArrayList<>()).add(forget);
        }

        /** Another node says that {@code key} of {@code cache} changed. */
        void announce(String cache, String key) {
            listeners.getOrDefault(cache, List.of()).forEach(listener -> listener.accept(key));
        }
    }
}
