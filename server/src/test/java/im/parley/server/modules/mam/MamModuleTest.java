package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.StorageConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.modules.sm.SmClients;
import im.parley.server.storage.Database;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Message Archive Management (XEP-0313) end to end on a test server: Romeo ({@code orchard})
 * talks with Juliet ({@code balcony}); each test names the section it proves.
 */
class MamModuleTest {

    private static final String MAM = "urn:xmpp:mam:2";
    private static final String SID = "urn:xmpp:sid:0";
    private static final String RSM = "http://jabber.org/protocol/rsm";
    private static final String FORWARD = "urn:xmpp:forward:0";
    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final MamModule mam = new MamModule();
    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private Path dataDir;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        dataDir = dir;
        server = newServer(mam);
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = online("romeo@parley.test", "orchard");
        juliet = online("juliet@parley.test", "balcony");
    }

    /**
     * The journal's indexer never runs on its own here (its tick is an hour away), so every query
     * and every deletion proves that it first indexes what was journaled before it.
     */
    private TestServer newServer(MamModule module) throws Exception {
        return newServer(module, ParleyConfig.defaults().with(MamModule.INDEX_DELAY, Duration.ofHours(1)));
    }

    private TestServer newServer(MamModule module, ParleyConfig config) throws Exception {
        return new TestServer(config.withDomains(List.of("parley.test")).withDataDir(dataDir), clock,
                ModuleCatalog.of(TestServer.discoveredModulesReplacing(MamModule.class, module)));
    }

    @AfterEach
    void close() {
        server.close();
    }

    private TestClient online(String jid, String resource) {
        TestClient client = server.login(jid, resource);
        sends(client, "<presence/>");
        client.received();
        return client;
    }

    private static void sends(TestClient client, String xml) {
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    private void chat(TestClient from, String to, String body) {
        sends(from, "<message to='" + to + "' type='chat'><body>" + body + "</body></message>");
        clock.advance(Duration.ofSeconds(1));
    }

    /** Sends a query and returns what came back: the result messages, then the IQ answer. */
    private static List<Element> query(TestClient client, String form, String rsm) {
        client.received();
        sends(client, "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2' queryid='f27'>"
                + (form.isEmpty() ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                + "<value>urn:xmpp:mam:2</value></field>" + form + "</x>")
                + rsm + "</query></iq>");
        return client.received();
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    private static List<String> bodies(List<Element> answer) {
        return answer.stream().filter(s -> "message".equals(s.getName()))
                .map(s -> forwarded(s).elementText("body")).toList();
    }

    private static List<String> ids(List<Element> answer) {
        return answer.stream().filter(s -> "message".equals(s.getName()))
                .map(s -> s.element(QName.get("result", MAM)).attributeValue("id")).toList();
    }

    private static Element forwarded(Element result) {
        return result.element(QName.get("result", MAM)).element(QName.get("forwarded", FORWARD))
                .element(QName.get("message", "jabber:client"));
    }

    private static Element fin(List<Element> answer) {
        Element iq = answer.get(answer.size() - 1);
        assertThat(iq.getName()).isEqualTo("iq");
        assertThat(iq.attributeValue("type")).as(iq.asXML()).isEqualTo("result");
        return iq.element(QName.get("fin", MAM));
    }

    private static String errorCondition(List<Element> answer) {
        Element iq = answer.get(answer.size() - 1);
        assertThat(iq.attributeValue("type")).as(iq.asXML()).isEqualTo("error");
        return iq.element("error").elements().stream().filter(e -> STANZAS.equals(e.getNamespaceURI()))
                .findFirst().orElseThrow().getName();
    }

    private void fiveMessages() {
        for (int i = 1; i <= 5; i++) {
            chat(i % 2 == 1 ? juliet : romeo, i % 2 == 1 ? "romeo@parley.test" : "juliet@parley.test/balcony", "m" + i);
        }
        romeo.received();
        juliet.received();
    }

    @Test
    void theArchiveIsAnnouncedOnTheAccount_xep0313_7() {
        sends(romeo, "<iq type='get' id='d' to='romeo@parley.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

        assertThat(romeo.received()).singleElement().satisfies(iq -> assertThat(iq.element("query").elements("feature"))
                .extracting(f -> f.attributeValue("var")).contains(MAM, MAM + "#extended", SID));
    }

    @Test
    void theServerAnnouncesTheArchiveTooForClientsThatLookThere() {
        // XEP-0313 §7 names the archiving JID; profanity 0.13 asks the domain, as Prosody answers it.
        sends(romeo, "<iq type='get' id='d' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

        assertThat(romeo.received()).singleElement().satisfies(iq -> assertThat(iq.element("query").elements("feature"))
                .extracting(f -> f.attributeValue("var")).contains(MAM).doesNotContain(MAM + "#extended"));
    }

    @Test
    void anArchivedMessageArrivesWithAStanzaIdAndSpoofedIdsAreRemoved_xep0359_3_and_3_1() {
        sends(juliet, "<message to='romeo@parley.test' type='chat'><body>hi</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='romeo@parley.test'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='forged2' by='Romeo@Parley.Test'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='kept' by='other@elsewhere.test'/></message>");

        Element message = romeo.received().get(0);
        List<Element> ids = message.elements(QName.get("stanza-id", SID));
        assertThat(ids).extracting(e -> e.attributeValue("by")).containsExactlyInAnyOrder("romeo@parley.test", "other@elsewhere.test");
        Element ours = ids.stream().filter(e -> "romeo@parley.test".equals(e.attributeValue("by"))).findFirst().orElseThrow();
        assertThat(ours.attributeValue("id")).isNotEqualTo("forged");
        assertThat(ids(query(romeo, "", ""))).containsExactly(ours.attributeValue("id"));
    }

    /**
     * A message for an online account is delivered, with its {@code <stanza-id/>}, without waiting
     * for the archive's write; the sender's stanza counts as handled (XEP-0198 §4) only once
     * written, and a query (XEP-0313 §4) waits for what was queued before it, so the client never
     * misses in its archive a message it received. The archive's writes are held here.
     */
    @Test
    void deliveryDoesNotWaitForTheWriteButTheSendersAckAndAQueryDo_xep0198_4_and_xep0313_4() throws Exception {
        server.close();
        HeldWork blocking = new HeldWork();
        server = new TestServer(ParleyConfig.defaults().with(MamModule.INDEX_DELAY, Duration.ofHours(1))
                .withDomains(List.of("parley.test")).withDataDir(dataDir), clock,
                ModuleCatalog.of(TestServer.discoveredModulesReplacing(MamModule.class, new MamModule())), blocking);
        romeo = online("romeo@parley.test", "orchard");
        TestClient phone = server.connect();
        SmClients.authenticate(phone, "juliet@parley.test");
        phone.send("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>");
        phone.send("<enable xmlns='" + SmClients.SM + "'/>");
        assertThat(phone.send("<r xmlns='" + SmClients.SM + "'/>")).contains("h='0'");
        blocking.hold();

        phone.send("<message to='romeo@parley.test' type='chat'><body>held</body></message>");

        Element delivered = romeo.received().get(0);
        String id = delivered.element(QName.get("stanza-id", SID)).attributeValue("id");
        assertThat(id).isNotBlank();
        assertThat(phone.send("<r xmlns='" + SmClients.SM + "'/>")).as("not handled before it is archived").contains("h='0'");
        sends(romeo, "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2' queryid='f27'/></iq>");
        assertThat(romeo.received()).as("the query waits for the write").isEmpty();

        blocking.release();

        assertThat(ids(romeo.received())).containsExactly(id);
        assertThat(phone.send("<r xmlns='" + SmClients.SM + "'/>")).contains("h='1'");
    }

    /** Blocking work at once, except while held: then queued until released. */
    private static final class HeldWork implements java.util.concurrent.Executor {

        private final java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean holding;

        @Override
        public void execute(Runnable task) {
            if (holding) {
                held.add(task);
            } else {
                task.run();
            }
        }

        void hold() {
            holding = true;
        }

        void release() {
            holding = false;
            for (Runnable task; (task = held.poll()) != null; ) {
                task.run();
            }
        }
    }

    @Test
    void aQueryReturnsBothDirectionsInOrderBeforeTheFin_xep0313_4_and_4_2() {
        fiveMessages();

        List<Element> answer = query(romeo, "", "");

        assertThat(bodies(answer)).containsExactly("m1", "m2", "m3", "m4", "m5");
        Element first = answer.get(0);
        assertThat(first.attributeValue("to")).isEqualTo("romeo@parley.test/orchard");
        assertThat(first.element(QName.get("result", MAM)).attributeValue("queryid")).isEqualTo("f27");
        assertThat(first.element(QName.get("result", MAM)).element(QName.get("forwarded", FORWARD))
                .element(QName.get("delay", "urn:xmpp:delay")).attributeValue("stamp")).isEqualTo("2026-01-01T12:00:00Z");
        Element fin = fin(answer);
        assertThat(fin.attributeValue("complete")).isEqualTo("true");
        Element set = fin.element(QName.get("set", RSM));
        assertThat(set.elementText("count")).isEqualTo("5");
        assertThat(set.elementText("first")).isEqualTo(ids(answer).get(0));
        assertThat(set.elementText("last")).isEqualTo(ids(answer).get(4));
        assertThat(bodies(query(juliet, "", ""))).as("Juliet's own archive").containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void withMatchesTheBareJidAndItsResourcesOrOneFullJid_xep0313_4_1_1() throws Exception {
        server.user("tybalt@parley.test");
        TestClient tybalt = online("tybalt@parley.test", "street");
        chat(juliet, "romeo@parley.test", "from juliet");
        chat(tybalt, "romeo@parley.test", "from tybalt");
        chat(romeo, "juliet@parley.test/balcony", "to juliet");

        assertThat(bodies(query(romeo, field("with", "juliet@parley.test"), ""))).containsExactly("from juliet", "to juliet");
        assertThat(bodies(query(romeo, field("with", "tybalt@parley.test/street"), ""))).containsExactly("from tybalt");
        assertThat(bodies(query(romeo, field("with", "tybalt@parley.test/elsewhere"), ""))).isEmpty();
    }

    @Test
    void startAndEndAreInclusive_xep0313_4_1_2() {
        fiveMessages(); // archived at T0, T0+1s, ... T0+4s

        assertThat(bodies(query(romeo, field("start", "2026-01-01T12:00:01Z") + field("end", "2026-01-01T14:00:03+02:00"), "")))
                .containsExactly("m2", "m3", "m4");
        assertThat(errorCondition(query(romeo, field("start", "yesterday"), ""))).isEqualTo("bad-request");
    }

    @Test
    void afterIdBeforeIdAndIdsSelectByIdAndUnknownIdsAreItemNotFound_xep0313_4_1_3() {
        fiveMessages();
        List<String> all = ids(query(romeo, "", ""));

        assertThat(bodies(query(romeo, field("after-id", all.get(0)) + field("before-id", all.get(4)), "")))
                .containsExactly("m2", "m3", "m4");
        assertThat(bodies(query(romeo, "<field var='ids'><value>" + all.get(1) + "</value><value>" + all.get(3)
                + "</value></field>", ""))).containsExactly("m2", "m4");
        assertThat(errorCondition(query(romeo, field("after-id", "nonesuch"), ""))).isEqualTo("item-not-found");
        assertThat(errorCondition(query(romeo, field("ids", "nonesuch"), ""))).isEqualTo("item-not-found");
        assertThat(errorCondition(query(juliet, field("ids", all.get(0)), ""))).as("ids are per archive")
                .isEqualTo("item-not-found");
    }

    @Test
    void rsmPagesForwardWithAfter_xep0313_4_3_and_xep0059_2_2() {
        fiveMessages();

        List<Element> page1 = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max></set>");
        assertThat(bodies(page1)).containsExactly("m1", "m2");
        assertThat(fin(page1).attributeValue("complete")).isNull();
        assertThat(fin(page1).element(QName.get("set", RSM)).elementText("count")).isEqualTo("5");
        String last = fin(page1).element(QName.get("set", RSM)).elementText("last");

        List<Element> page2 = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><after>" + last + "</after></set>");
        assertThat(bodies(page2)).containsExactly("m3", "m4");
        String last2 = fin(page2).element(QName.get("set", RSM)).elementText("last");

        List<Element> page3 = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><after>" + last2 + "</after></set>");
        assertThat(bodies(page3)).containsExactly("m5");
        assertThat(fin(page3).attributeValue("complete")).isEqualTo("true");
    }

    @Test
    void rsmPagesBackwardFromTheLastPage_xep0313_4_3_3_and_xep0059_2_5() {
        fiveMessages();

        List<Element> last = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><before/></set>");
        assertThat(bodies(last)).as("chronological within the page").containsExactly("m4", "m5");
        assertThat(fin(last).attributeValue("complete")).isNull();
        String first = fin(last).element(QName.get("set", RSM)).elementText("first");

        List<Element> previous = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><before>" + first + "</before></set>");
        assertThat(bodies(previous)).containsExactly("m2", "m3");
        String first2 = fin(previous).element(QName.get("set", RSM)).elementText("first");

        List<Element> oldest = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><before>" + first2 + "</before></set>");
        assertThat(bodies(oldest)).containsExactly("m1");
        assertThat(fin(oldest).attributeValue("complete")).isEqualTo("true");
        assertThat(errorCondition(query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><before>nonesuch</before></set>")))
                .isEqualTo("item-not-found");
    }

    @Test
    void aFlippedPageComesNewestFirst_xep0313_4_3_4() {
        fiveMessages();

        sends(romeo, "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>"
                + "<max>3</max><before/></set><flip-page/></query></iq>");

        assertThat(bodies(romeo.received())).containsExactly("m5", "m4", "m3");
    }

    @Test
    void limitsAndUnknownFieldsAreRefused_xep0313_4_1_5_and_4_3_1() {
        assertThat(errorCondition(query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>101</max></set>")))
                .as("over mam.max_page_size").isEqualTo("policy-violation");
        assertThat(errorCondition(query(romeo, field("{urn:example}search", "x"), ""))).isEqualTo("feature-not-implemented");
        List<Element> countOnly = query(romeo, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>0</max></set>");
        assertThat(fin(countOnly).element(QName.get("set", RSM)).elementText("count")).isEqualTo("0");
    }

    @Test
    void theFormListsTheFields_xep0313_4_1_5() {
        sends(romeo, "<iq type='get' id='form1'><query xmlns='urn:xmpp:mam:2'/></iq>");

        Element form = romeo.received().get(0).element(QName.get("query", MAM)).element(QName.get("x", "jabber:x:data"));
        assertThat(form.attributeValue("type")).isEqualTo("form");
        assertThat(form.elements("field")).extracting(f -> f.attributeValue("var"))
                .containsExactly("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");
        assertThat(form.elements("field").get(6).element(QName.get("validate", "http://jabber.org/protocol/xdata-validate"))
                .element("open")).isNotNull();
    }

    @Test
    void metadataNamesTheFirstAndLastMessage_xep0313_5() {
        sends(romeo, "<iq type='get' id='md'><metadata xmlns='urn:xmpp:mam:2'/></iq>");
        assertThat(romeo.received().get(0).element(QName.get("metadata", MAM)).elements()).isEmpty();

        fiveMessages();
        List<String> all = ids(query(romeo, "", ""));
        sends(romeo, "<iq type='get' id='md'><metadata xmlns='urn:xmpp:mam:2'/></iq>");

        Element metadata = romeo.received().get(0).element(QName.get("metadata", MAM));
        assertThat(metadata.element("start").attributeValue("id")).isEqualTo(all.get(0));
        assertThat(metadata.element("start").attributeValue("timestamp")).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(metadata.element("end").attributeValue("id")).isEqualTo(all.get(4));
        assertThat(metadata.element("end").attributeValue("timestamp")).isEqualTo("2026-01-01T12:00:04Z");
    }

    @Test
    void onlyTheAccountItselfUsesItsArchive_xep0313_8_1() {
        fiveMessages();

        sends(juliet, "<iq type='set' id='q' to='romeo@parley.test'><query xmlns='urn:xmpp:mam:2'/></iq>");

        List<Element> answer = juliet.received();
        assertThat(bodies(answer)).isEmpty();
        assertThat(errorCondition(answer)).isEqualTo("forbidden");
    }

    @Test
    void groupchatHintsAndChatStatesAreNotArchived_xep0313_6_1_1_and_xep0334_4() {
        sends(juliet, "<message to='romeo@parley.test' type='chat'><body>secret</body><no-store xmlns='urn:xmpp:hints'/></message>");
        sends(juliet, "<message to='romeo@parley.test' type='chat'><body>fleeting</body><no-permanent-store xmlns='urn:xmpp:hints'/></message>");
        sends(juliet, "<message to='romeo@parley.test' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        sends(juliet, "<message to='romeo@parley.test/orchard' type='groupchat'><body>room</body></message>");
        sends(juliet, "<message to='romeo@parley.test' type='headline'><body>news</body></message>");
        sends(juliet, "<message to='romeo@parley.test'><body>normal</body></message>");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("normal");
        assertThat(bodies(query(juliet, "", ""))).containsExactly("normal");
    }

    @Test
    void aMessageStoredOfflineIsArchivedOnceAndDeliveredWithItsId_xep0313_6_1_1() {
        romeo.drop();
        sends(juliet, "<message to='romeo@parley.test' type='chat'><body>while you slept</body></message>");

        TestClient back = server.login("romeo@parley.test", "orchard2");
        sends(back, "<presence/>");
        Element delivered = back.received().stream().filter(s -> "message".equals(s.getName())).findFirst().orElseThrow();

        List<String> archived = ids(query(back, "", ""));
        assertThat(archived).as("archived once").hasSize(1);
        assertThat(delivered.element(QName.get("stanza-id", SID)).attributeValue("id")).isEqualTo(archived.get(0));
    }

    /**
     * XEP-0198 §5: a message its session never acknowledged is treated, when the session ends, as
     * one sent to an unavailable resource: routed again to the bare JID, here into offline
     * storage. It was archived, with its {@code <stanza-id/>}, on its first way in; the second
     * pass keeps that id (it is the archive's own, not a spoof: XEP-0359 §3.1) and does not
     * archive the message again (XEP-0313 §4.2: one archived copy, one stable id).
     */
    @Test
    void aMessageRoutedAgainWhenItsSessionEndsUnacknowledgedKeepsItsIdAndIsArchivedOnce_xep0198_5() {
        romeo.drop();
        TestClient phone = online("romeo@parley.test", "phone");
        SmClients.enableResumption(phone);
        sends(juliet, "<message to='romeo@parley.test/phone' type='chat'><body>never acked</body></message>");
        Element first = phone.received().stream().filter(s -> "message".equals(s.getName())).findFirst().orElseThrow();
        String id = first.element(QName.get("stanza-id", SID)).attributeValue("id");
        phone.channel().freezeTime();
        phone.channel().pipeline().close();  // lost, not closed: the session hibernates (XEP-0198 §5)
        phone.channel().runPendingTasks();
        phone.channel().advanceTimeBy(1, TimeUnit.HOURS);
        phone.channel().runPendingTasks();

        TestClient back = server.login("romeo@parley.test", "orchard2");
        sends(back, "<presence/>");
        Element delivered = back.received().stream().filter(s -> "message".equals(s.getName())).findFirst().orElseThrow();

        assertThat(delivered.elements(QName.get("stanza-id", SID))).as(delivered.asXML()).hasSize(1);
        assertThat(delivered.element(QName.get("stanza-id", SID)).attributeValue("id")).isEqualTo(id);
        assertThat(ids(query(back, "", ""))).as("archived once, under the id the phone saw").containsExactly(id);
    }

    @Test
    void preferencesChooseWhatIsArchived_xep0441_3() throws Exception {
        server.user("tybalt@parley.test").user("nurse@parley.test");
        TestClient tybalt = online("tybalt@parley.test", "street");
        TestClient nurse = online("nurse@parley.test", "kitchen");
        sends(romeo, "<iq type='set' id='p1'><prefs xmlns='urn:xmpp:mam:2' default='roster'>"
                + "<always><jid>tybalt@parley.test</jid></always><never><jid>juliet@parley.test</jid></never></prefs></iq>");
        Element prefs = romeo.received().get(0).element(QName.get("prefs", MAM));
        assertThat(prefs.attributeValue("default")).isEqualTo("roster");
        sends(romeo, "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='nurse@parley.test'/></query></iq>");

        chat(juliet, "romeo@parley.test", "never");
        chat(tybalt, "romeo@parley.test", "always");
        chat(nurse, "romeo@parley.test", "on the roster");
        server.user("paris@parley.test");
        chat(online("paris@parley.test", "church"), "romeo@parley.test", "not on the roster");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("always", "on the roster");
        sends(romeo, "<iq type='get' id='p2'><prefs xmlns='urn:xmpp:mam:2'/></iq>");
        Element stored = romeo.received().get(0).element(QName.get("prefs", MAM));
        assertThat(stored.attributeValue("default")).isEqualTo("roster");
        assertThat(stored.element("always").elementText("jid")).isEqualTo("tybalt@parley.test");
        assertThat(stored.element("never").elementText("jid")).isEqualTo("juliet@parley.test");
    }

    /** Preferences are read once, at start, and hold after a restart (XEP-0441 §3). */
    @Test
    void preferencesHoldAfterARestart_xep0441_3() throws Exception {
        sends(romeo, "<iq type='set' id='p1'><prefs xmlns='urn:xmpp:mam:2' default='never'>"
                + "<always><jid>juliet@parley.test</jid></always></prefs></iq>");
        romeo.received();
        server.close();
        server = newServer(new MamModule());
        romeo = online("romeo@parley.test", "orchard");
        juliet = online("juliet@parley.test", "balcony");
        server.user("paris@parley.test");

        chat(online("paris@parley.test", "church"), "romeo@parley.test", "never");
        chat(juliet, "romeo@parley.test", "always");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("always");
    }

    /** The roster the archive remembers for roster mode follows every change of it (XEP-0441 §3, RFC 6121 §2.1.6). */
    @Test
    void rosterModeFollowsRosterChanges_xep0441_3() {
        sends(romeo, "<iq type='set' id='p1'><prefs xmlns='urn:xmpp:mam:2' default='roster'/></iq>");
        romeo.received();

        chat(juliet, "romeo@parley.test", "before she is on the roster");
        sends(romeo, "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='juliet@parley.test'/></query></iq>");
        chat(juliet, "romeo@parley.test", "on the roster");
        sends(romeo, "<iq type='set' id='r2'><query xmlns='jabber:iq:roster'>"
                + "<item jid='juliet@parley.test' subscription='remove'/></query></iq>");
        chat(juliet, "romeo@parley.test", "removed again");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("on the roster");
    }

    @Test
    void aMessageToNoSuchAccountIsBouncedAsBeforeAndArchivedOnlyForItsSender() {
        sends(juliet, "<message to='ghost@parley.test' type='chat' id='g1'><body>anyone?</body></message>");

        assertThat(errorCondition(juliet.received())).isEqualTo("service-unavailable");
        assertThat(bodies(query(juliet, "", ""))).containsExactly("anyone?");
    }

    /** The journal (mam.journal, auto: on with the embedded database) and what a query sees of it. */
    @Test
    void messagesAreJournaledInTheDataDirectoryAndAQueryFindsThemAll_xep0313_4() throws Exception {
        fiveMessages();

        Path journal = dataDir.resolve("mam-journal").resolve("parley.test");
        try (var segments = Files.list(journal)) {
            assertThat(segments.toList()).singleElement().satisfies(segment -> assertThat(Files.size(segment)).isPositive());
        }
        assertThat(bodies(query(romeo, "", ""))).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(bodies(query(juliet, "", ""))).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    /** YAML 1.1 reads a bare on and off as booleans; the option takes them either way. */
    @Test
    void theJournalOptionIsAutoOnOrOff() throws Exception {
        for (String value : List.of("auto", "on", "off", "\"on\"", "\"off\"")) {
            ParleyConfig config = ConfigLoader.parse("domains: [\"parley.test\"]\nmam:\n  journal: " + value + "\n", "parley.yml");
            assertThat(config.option(MamModule.JOURNAL).name()).as(value)
                    .isEqualToIgnoringCase(value.replace("\"", ""));
        }
    }

    @Test
    void withTheJournalOffMessagesGoStraightToTheDatabase() throws Exception {
        server.close();
        server = newServer(new MamModule(), ParleyConfig.defaults().with(MamModule.JOURNAL, MamModule.Journal.OFF));
        romeo = online("romeo@parley.test", "orchard");
        juliet = online("juliet@parley.test", "balcony");

        chat(juliet, "romeo@parley.test", "direct");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("direct");
        try (var segments = Files.list(dataDir.resolve("mam-journal").resolve("parley.test"))) {
            assertThat(segments.toList()).as("the first server's journal, indexed when it stopped").allSatisfy(
                    segment -> assertThat(Files.size(segment)).isZero());
        }
    }

    @Test
    void expiredMessagesArePurged() {
        chat(juliet, "romeo@parley.test", "old");
        clock.advance(Duration.ofDays(300));
        chat(juliet, "romeo@parley.test", "recent");
        clock.advance(Duration.ofDays(70)); // "old" is now 370 days old, past the default retention of 1y

        assertThat(mam.purgeExpired()).isEqualTo(2); // both archives: Romeo's and Juliet's copy of "old"

        assertThat(bodies(query(romeo, "", ""))).containsExactly("recent");
    }

    @Test
    void theArchiveIsDeletedWithTheAccount() throws Exception {
        fiveMessages();
        romeo.drop();

        server.accounts().delete(JidCreate.entityBareFrom("romeo@parley.test"));
        server.user("romeo@parley.test");

        assertThat(bodies(query(online("romeo@parley.test", "new"), "", ""))).isEmpty();
        assertThat(bodies(query(juliet, "", ""))).hasSize(5);
    }

    /**
     * XEP-0313 §8 (the archive holds the user's messages only) and issue 13 (the archive is
     * deleted with the account): a message archived while the account is being deleted goes with
     * it, and a new account of the same name starts with an empty archive.
     */
    @Test
    void aMessageArchivedWhileTheAccountIsDeletedGoesWithIt() throws Exception {
        fiveMessages();
        romeo.drop();
        EntityBareJid account = JidCreate.entityBareFrom("romeo@parley.test");
        server.storage().accounts().beforeDelete(deleted -> chat(juliet, "romeo@parley.test", "during"));

        server.accounts().delete(account);
        server.user("romeo@parley.test");

        assertThat(bodies(query(online("romeo@parley.test", "new"), "", ""))).isEmpty();
        assertThat(bodies(query(juliet, "", ""))).hasSize(6);
    }

    /**
     * Issue 13: with the embedded database the archive is an index in data_dir/mam-archive; the
     * rows an older installation (or an import, with the server stopped) left in the database's
     * table move into it at start, and a query (XEP-0313 §4) finds them in archive order.
     */
    @Test
    void archivedRowsOfTheDatabaseTableMoveIntoTheIndexAtStart_xep0313_4() throws Exception {
        chat(juliet, "romeo@parley.test", "indexed");
        server.close();
        Element imported = DocumentHelper.parseText("<message xmlns='jabber:client' from='juliet@parley.test/balcony' "
                + "to='romeo@parley.test' type='chat'><body>imported</body></message>").getRootElement();
        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(new ArchiveImport(database.dataSource()).append(List.of(new ArchiveImport.Entry(
                    JidCreate.entityBareFrom("romeo@parley.test"), JidCreate.from("juliet@parley.test/balcony"),
                    T0.minus(Duration.ofDays(1)), imported, true)))).isEqualTo(1);
        }

        server = newServer(new MamModule());
        romeo = online("romeo@parley.test", "orchard");

        assertThat(bodies(query(romeo, "", ""))).containsExactly("imported", "indexed");
        try (var files = Files.list(dataDir.resolve("mam-archive").resolve("parley.test"))) {
            assertThat(files.map(file -> file.getFileName().toString())).contains("CURRENT");
        }
    }
}
