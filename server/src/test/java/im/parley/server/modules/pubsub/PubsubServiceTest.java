package im.parley.server.modules.pubsub;

import static im.parley.server.modules.pep.PepScript.error;
import static im.parley.server.modules.pep.PepScript.field;
import static im.parley.server.modules.pep.PepScript.iq;
import static im.parley.server.modules.pep.PepScript.notifications;
import static im.parley.server.modules.pep.PepScript.resultSet;
import static im.parley.server.modules.roster.RosterScript.befriend;
import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publish-subscribe service on {@code pubsub.parley.test} (XEP-0060), driven by clients as a
 * client would: Juliet creates and owns the nodes, Romeo is her contact (mutual presence
 * subscription), the Nurse knows nobody. Each test names the sections it checks.
 */
class PubsubServiceTest {

    private static final String SERVICE = "pubsub.parley.test";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = PUBSUB + "#owner";
    private static final String EVENT = PUBSUB + "#event";
    private static final String DATA = "jabber:x:data";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String GEO = "http://jabber.org/protocol/geoloc";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient juliet;
    private TestClient romeo;
    private TestClient nurse;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private final PubsubModule pubsub = new PubsubModule();

    private void start(UnaryOperator<ParleyConfig> config) throws Exception {
        server = new TestServer(config.apply(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)),
                clock, ModuleCatalog.of(TestServer.discoveredModulesReplacing(PubsubModule.class, pubsub)),
                new InlinePool());
        server.user("juliet@parley.test").user("romeo@parley.test").user("nurse@parley.test");
        juliet = online("juliet@parley.test", "balcony");
        romeo = online("romeo@parley.test", "orchard");
        nurse = online("nurse@parley.test", "kitchen");
        befriend(romeo, juliet);
        quiet();
    }

    private void start() throws Exception {
        start(c -> c);
    }

    private TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }

    private void quiet() {
        juliet.stanzas();
        romeo.stanzas();
        nurse.stanzas();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String set(String namespace, String body) {
        return "<iq type='set' id='q' to='" + SERVICE + "'><pubsub xmlns='" + namespace + "'>" + body + "</pubsub></iq>";
    }

    private static String get(String namespace, String body) {
        return "<iq type='get' id='q' to='" + SERVICE + "'><pubsub xmlns='" + namespace + "'>" + body + "</pubsub></iq>";
    }

    private static String create(String node, String fields) {
        return set(PUBSUB, "<create node='" + node + "'/>" + (fields.isEmpty() ? "" : "<configure><x xmlns='" + DATA
                + "' type='submit'>" + field("FORM_TYPE", PUBSUB + "#node_config") + fields + "</x></configure>"));
    }

    private static String publish(String node, String item) {
        return set(PUBSUB, "<publish node='" + node + "'>" + item + "</publish>");
    }

    private static String geo(String id, String text) {
        return "<item" + (id == null ? "" : " id='" + id + "'") + "><geoloc xmlns='" + GEO + "'><description>" + text
                + "</description></geoloc></item>";
    }

    private static String subscribe(String node, String jid) {
        return set(PUBSUB, "<subscribe node='" + node + "' jid='" + jid + "'/>");
    }

    private static void ok(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
    }

    private static List<String> itemIds(Element answer) {
        return answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("items", PUBSUB))
                .elements(QName.get("item", PUBSUB)).stream().map(i -> i.attributeValue("id")).toList();
    }

    @Test
    void theServiceIsFoundThroughTheServersItemsAndSaysWhatItIs_xep0060_5_1() throws Exception {
        start();
        Element items = iq(nurse, "<iq type='get' id='q' to='parley.test'><query xmlns='" + DISCO_ITEMS + "'/></iq>");
        assertThat(items.element(QName.get("query", DISCO_ITEMS)).elements()).extracting(i -> i.attributeValue("jid"))
                .contains(SERVICE);

        Element info = iq(nurse, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_INFO + "'/></iq>")
                .element(QName.get("query", DISCO_INFO));
        assertThat(info.elements("identity")).singleElement().satisfies(identity -> {
            assertThat(identity.attributeValue("category")).isEqualTo("pubsub");
            assertThat(identity.attributeValue("type")).isEqualTo("service");
        });
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var"))
                .contains(PUBSUB, PUBSUB + "#create-nodes", PUBSUB + "#publish", PUBSUB + "#subscribe",
                        PUBSUB + "#access-authorize", PUBSUB + "#instant-nodes", PUBSUB + "#rsm");
    }

    @Test
    void anOwnerCreatesPublishesAndReadsBack_xep0060_8_1_7_1_6_5() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        Element published = iq(juliet, publish("news", geo(null, "first")));
        ok(published);
        String generated = published.element(QName.get("pubsub", PUBSUB)).element(QName.get("publish", PUBSUB))
                .element(QName.get("item", PUBSUB)).attributeValue("id");
        assertThat(generated).as("§7.1.2: the service names an item published without id").isNotEmpty();
        ok(iq(juliet, publish("news", geo("fixed", "second"))));
        ok(iq(juliet, publish("news", geo(generated, "first, again"))));

        Element items = iq(nurse, get(PUBSUB, "<items node='news'/>"));
        assertThat(itemIds(items)).as("§7.1.2: a republished id is the newest").containsExactly("fixed", generated);
        assertThat(items.asXML()).contains("first, again").doesNotContain(">first<");
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='news' max_items='1'/>")))).as("§6.5.7")
                .containsExactly(generated);
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='news'><item id='fixed'/></items>")))).as("§6.5.8")
                .containsExactly("fixed");

        assertThat(error(iq(juliet, create("news", "")))).as("§8.1.3.3").isEqualTo("conflict");
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='nothing'/>")))).as("§6.5.9.10").isEqualTo("item-not-found");
    }

    private static final String RSM = "http://jabber.org/protocol/rsm";

    /** An items request with an RSM {@code <set/>} after the {@code <items/>} (XEP-0060 §6.5.4, XEP-0059). */
    private static String page(String node, String attributes, String set) {
        return get(PUBSUB, "<items node='" + node + "'" + attributes + "/><set xmlns='" + RSM + "'>" + set + "</set>");
    }

    @Test
    void aPageOfItemsWithRsm_xep0060_6_5_4_and_xep0059_2() throws Exception {
        start();
        ok(iq(juliet, create("news", field("pubsub#max_items", "200"))));
        for (String id : List.of("a", "b", "c", "d", "e")) {
            ok(iq(juliet, publish("news", geo(id, id))));
        }

        // The result set is in publication order, oldest first, as §6.5.3 returns all items.
        Element first = iq(nurse, page("news", "", "<max>2</max>"));
        assertThat(itemIds(first)).as("XEP-0059 §2.1").containsExactly("a", "b");
        assertThat(resultSet(first)).as("§2.2: first with its index, last, count").isEqualTo("a@0 b 5");
        assertThat(first.asXML()).contains("<geoloc");
        Element next = iq(nurse, page("news", "", "<max>2</max><after>b</after>"));
        assertThat(itemIds(next)).as("§2.2").containsExactly("c", "d");
        assertThat(resultSet(next)).isEqualTo("c@2 d 5");
        assertThat(resultSet(iq(nurse, page("news", "", "<max>2</max><after>d</after>")))).isEqualTo("e@4 e 5");
        Element last = iq(nurse, page("news", "", "<max>2</max><before/>"));
        assertThat(itemIds(last)).as("§2.5: the last page, the newest items").containsExactly("d", "e");
        assertThat(resultSet(last)).isEqualTo("d@3 e 5");
        assertThat(itemIds(iq(nurse, page("news", "", "<max>2</max><before>d</before>")))).as("§2.3")
                .containsExactly("b", "c");
        assertThat(itemIds(iq(nurse, page("news", "", "<max>10</max><index>3</index>")))).as("§2.6")
                .containsExactly("d", "e");
        Element count = iq(nurse, page("news", "", "<max>0</max>"));
        assertThat(itemIds(count)).as("§2.7").isEmpty();
        assertThat(resultSet(count)).isEqualTo("5");
        assertThat(error(iq(nurse, page("news", "", "<max>2</max><after>gone</after>")))).as("§2.4")
                .isEqualTo("item-not-found");
        assertThat(error(iq(nurse, page("news", "", "<max>two</max>")))).isEqualTo("bad-request");
        Element newest = iq(nurse, page("news", " max_items='3'", "<max>2</max>"));
        assertThat(itemIds(newest)).as("§6.5.7: the result set is the newest max_items").containsExactly("c", "d");
        assertThat(resultSet(newest)).isEqualTo("c@0 d 3");

        Element plain = iq(nurse, get(PUBSUB, "<items node='news'/>"));
        assertThat(itemIds(plain)).as("without <set/>, as before").containsExactly("a", "b", "c", "d", "e");
        assertThat(plain.element(QName.get("pubsub", PUBSUB)).element(QName.get("set", RSM))).isNull();

        for (int i = 0; i < 101; i++) {
            ok(iq(juliet, publish("news", geo("n" + i, "n" + i))));
        }
        assertThat(itemIds(iq(nurse, page("news", "", "<max>1000</max>")))).as("a page holds at most 100 items")
                .hasSize(100);
        assertThat(resultSet(iq(nurse, page("news", "", "")))).as("and so does a page without <max/>")
                .isEqualTo("a@0 n94 106");
    }

    /** The value of a field of a node configuration form in an answer (§8.2.1, §8.3). */
    private static String configValue(Element answer, String child, String var) {
        Element x = answer.element(QName.get("pubsub", OWNER)).element(QName.get(child, OWNER)).element(QName.get("x", DATA));
        return x.elements(QName.get("field", DATA)).stream().filter(f -> var.equals(f.attributeValue("var"))).findFirst()
                .orElseThrow().elementText(QName.get("value", DATA));
    }

    @Test
    void itemsOlderThanItemExpireAreNeitherReturnedNorSent_xep0060_16_4_4() throws Exception {
        start();
        assertThat(configValue(iq(juliet, get(OWNER, "<default/>")), "default", "pubsub#item_expire"))
                .as("§8.3: items do not expire by default").isEmpty();
        ok(iq(juliet, create("news", field("pubsub#item_expire", "60"))));
        assertThat(configValue(iq(juliet, get(OWNER, "<configure node='news'/>")), "configure", "pubsub#item_expire"))
                .isEqualTo("60");
        assertThat(error(iq(juliet, create("odd", field("pubsub#item_expire", "soon"))))).isEqualTo("not-acceptable");

        ok(iq(juliet, publish("news", geo("old", "old"))));
        clock.advance(Duration.ofSeconds(30));
        ok(iq(juliet, publish("news", geo("new", "new"))));
        clock.advance(Duration.ofSeconds(31));
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='news'/>")))).as("61 s old: expired").containsExactly("new");
        assertThat(resultSet(iq(nurse, page("news", "", "<max>10</max>")))).as("§6.5.4, a page of what is left")
                .isEqualTo("new@0 new 1");
        assertThat(error(iq(juliet, set(PUBSUB, "<retract node='news'><item id='old'/></retract>")))).as("purged")
                .isEqualTo("item-not-found");
        send(nurse, subscribe("news", "nurse@parley.test"));
        List<Element> fresh = nurse.stanzas();
        ok(response(fresh, "q"));
        assertThat(notifications(fresh)).as("§6.1.7: the last item, not expired yet").singleElement()
                .satisfies(m -> assertThat(m.asXML()).contains(">new<"));

        clock.advance(Duration.ofSeconds(30));
        send(romeo, subscribe("news", "romeo@parley.test"));
        List<Element> late = romeo.stanzas();
        ok(response(late, "q"));
        assertThat(notifications(late)).as("§6.1.7: the last item expired too, none is sent").isEmpty();
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='news'/>")))).isEmpty();

        ok(iq(juliet, set(OWNER, "<configure node='news'><x xmlns='" + DATA + "' type='submit'>"
                + field("FORM_TYPE", PUBSUB + "#node_config") + field("pubsub#item_expire", "0") + "</x></configure>")));
        ok(iq(juliet, publish("news", geo("kept", "kept"))));
        clock.advance(Duration.ofDays(400));
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='news'/>")))).as("0: never").containsExactly("kept");
    }

    @Test
    void expiredItemsArePurgedWithoutBeingRead_xep0060_16_4_4() throws Exception {
        start();
        ok(iq(juliet, create("news", field("pubsub#item_expire", "60"))));
        ok(iq(juliet, create("archive", "")));
        ok(iq(juliet, publish("news", geo("a", "a"))));
        ok(iq(juliet, publish("news", geo("b", "b"))));
        ok(iq(juliet, publish("archive", geo("c", "c"))));
        assertThat(pubsub.purgeExpired()).as("none expired yet").isZero();

        clock.advance(Duration.ofSeconds(61));
        assertThat(pubsub.purgeExpired()).as("the periodic purge (on a thread of its own)").isEqualTo(2);
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='archive'/>")))).containsExactly("c");
    }

    @Test
    void anInstantNodeIsNamedByTheService_xep0060_8_1_2() throws Exception {
        start();
        Element answer = iq(juliet, set(PUBSUB, "<create/>"));
        ok(answer);
        String node = answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("create", PUBSUB)).attributeValue("node");
        assertThat(node).isNotEmpty();
        ok(iq(juliet, set(OWNER, "<delete node='" + node + "'/>")));
        // XEP-0060 §4.4, XEP-0248: no collection nodes here, and the error says which feature.
        Element collection = iq(juliet, create("shelf", field("pubsub#node_type", "collection")));
        assertThat(error(collection)).isEqualTo("feature-not-implemented unsupported");
        assertThat(collection.asXML()).contains("feature=\"collections\"");
    }

    @Test
    void theDefaultConfigurationIsAFormAndATransientNotificationOnlyNodeTakesNoItem_xep0060_8_3_7_1_3_6() throws Exception {
        start();
        Element defaults = iq(juliet, get(OWNER, "<default/>")).element(QName.get("pubsub", OWNER))
                .element(QName.get("default", OWNER)).element(QName.get("x", DATA));
        assertThat(defaults.attributeValue("type")).isEqualTo("form");
        assertThat(defaults.elements("field")).extracting(f -> f.attributeValue("var"))
                .contains("FORM_TYPE", "pubsub#access_model", "pubsub#persist_items", "pubsub#deliver_payloads");

        ok(iq(juliet, create("pings", field("pubsub#deliver_payloads", "0") + field("pubsub#persist_items", "0"))));
        ok(iq(romeo, subscribe("pings", "romeo@parley.test")));
        ok(iq(juliet, set(PUBSUB, "<publish node='pings'/>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.element(
                QName.get("event", EVENT)).element(QName.get("items", EVENT)).attributeValue("node")).isEqualTo("pings"));

        Element refused = iq(juliet, publish("pings", "<item id='x'><ping xmlns='urn:example'/></item>"));
        assertThat(error(refused)).isEqualTo("bad-request item-forbidden");
        assertThat(refused.element("error").attributeValue("type")).isEqualTo("modify");

        ok(iq(juliet, create("persistent", "")));
        assertThat(error(iq(juliet, set(PUBSUB, "<publish node='persistent'/>")))).isEqualTo("bad-request item-required");
        assertThat(error(iq(juliet, create("odd", field("pubsub#unknown_field", "1"))))).as("§8.2.5.2")
                .isEqualTo("not-acceptable");
    }

    @Test
    void aSubscriberGetsWhatIsPublishedAndSeesItsSubscription_xep0060_6_1_5_6_7_1_2() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        Element subscribed = iq(romeo, subscribe("news", "romeo@parley.test"));
        ok(subscribed);
        assertThat(subscribed.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB))
                .attributeValue("subscription")).isEqualTo("subscribed");

        ok(iq(juliet, publish("news", geo("i1", "needle"))));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> {
            assertThat(m.attributeValue("from")).isEqualTo(SERVICE);
            assertThat(m.asXML()).contains("needle");
        });
        assertThat(notifications(nurse.stanzas())).isEmpty();

        Element mine = iq(romeo, get(PUBSUB, "<subscriptions node='news'/>")).element(QName.get("pubsub", PUBSUB))
                .element(QName.get("subscriptions", PUBSUB));
        assertThat(mine.elements()).extracting(s -> s.attributeValue("jid")).containsExactly("romeo@parley.test");
        Element none = iq(nurse, get(PUBSUB, "<subscriptions node='news'/>")).element(QName.get("pubsub", PUBSUB))
                .element(QName.get("subscriptions", PUBSUB));
        assertThat(none.elements()).as("§5.6: an empty list").isEmpty();

        assertThat(error(iq(nurse, subscribe("news", "romeo@parley.test")))).as("§6.1.3.1")
                .isEqualTo("bad-request invalid-jid");
        ok(iq(romeo, set(PUBSUB, "<unsubscribe node='news' jid='romeo@parley.test'/>")));
        assertThat(error(iq(romeo, set(PUBSUB, "<unsubscribe node='news' jid='romeo@parley.test'/>")))).as("§6.2.3.2")
                .isEqualTo("unexpected-request not-subscribed");
        ok(iq(juliet, publish("news", geo("i2", "again"))));
        assertThat(notifications(romeo.stanzas())).isEmpty();
    }

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String SUBSCRIBE_OPTIONS = PUBSUB + "#subscribe_options";

    private static String optionsForm(String fields) {
        return "<x xmlns='" + DATA + "' type='submit'>" + field("FORM_TYPE", SUBSCRIBE_OPTIONS) + fields + "</x>";
    }

    private static String setOptions(String node, String jid, String fields) {
        return set(PUBSUB, "<options node='" + node + "' jid='" + jid + "'>" + optionsForm(fields) + "</options>");
    }

    /** The values of a data form's fields in an answer, by var: "deliver=1" and so on. */
    private static List<String> formValues(Element answer, String child) {
        Element x = answer.element(QName.get("pubsub", PUBSUB)).element(QName.get(child, PUBSUB)).element(QName.get("x", DATA));
        return x.elements(QName.get("field", DATA)).stream().filter(f -> !"FORM_TYPE".equals(f.attributeValue("var")))
                .map(f -> f.attributeValue("var") + "=" + f.elementText(QName.get("value", DATA))).toList();
    }

    private static String body(Element message) {
        return message.elementText("body");
    }

    @Test
    void aSubscriberReadsAndChangesItsSubscriptionOptions_xep0060_6_3_6_4() throws Exception {
        start();
        Element info = iq(romeo, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_INFO + "'/></iq>");
        assertThat(info.asXML()).as("§6.3.1, §6.4").contains(PUBSUB + "#subscription-options", PUBSUB + "#retrieve-default-sub");
        ok(iq(juliet, create("news", "")));
        Element subscribed = iq(romeo, subscribe("news", "romeo@parley.test"));
        assertThat(subscribed.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB))
                .element(QName.get("subscribe-options", PUBSUB))).as("§6.1.5: offered, not required").isNotNull();

        Element options = iq(romeo, get(PUBSUB, "<options node='news' jid='romeo@parley.test'/>"));
        ok(options);
        Element form = options.element(QName.get("pubsub", PUBSUB)).element(QName.get("options", PUBSUB)).element(QName.get("x", DATA));
        assertThat(form.attributeValue("type")).isEqualTo("form");
        assertThat(form.asXML()).contains(SUBSCRIBE_OPTIONS);
        assertThat(formValues(options, "options")).as("§6.3.2").containsExactly("pubsub#deliver=1", "pubsub#include_body=0");

        assertThat(error(iq(nurse, get(PUBSUB, "<options node='news' jid='romeo@parley.test'/>")))).as("§6.3.4.1")
                .isEqualTo("forbidden");
        assertThat(error(iq(nurse, get(PUBSUB, "<options node='news' jid='nurse@parley.test'/>")))).as("§6.3.4.2")
                .isEqualTo("unexpected-request not-subscribed");
        assertThat(error(iq(romeo, get(PUBSUB, "<options node='news'/>")))).as("§6.3.4.3")
                .isEqualTo("bad-request jid-required");
        assertThat(error(iq(romeo, get(PUBSUB, "<options node='gossip' jid='romeo@parley.test'/>")))).as("§6.3.4.7")
                .isEqualTo("item-not-found");

        // §6.3.5: delivery off; nothing more arrives, the subscription stays.
        ok(iq(romeo, setOptions("news", "romeo@parley.test", field("pubsub#deliver", "0"))));
        ok(iq(juliet, publish("news", geo("i1", "needle"))));
        assertThat(notifications(romeo.stanzas())).isEmpty();
        assertThat(formValues(iq(romeo, get(PUBSUB, "<options node='news' jid='romeo@parley.test'/>")), "options"))
                .containsExactly("pubsub#deliver=0", "pubsub#include_body=0");
        assertThat(itemIds(iq(romeo, get(PUBSUB, "<items node='news'/>")))).containsExactly("i1");

        // §6.3.6: a field the service does not offer, a value no boolean, another form.
        assertThat(error(iq(romeo, setOptions("news", "romeo@parley.test", field("pubsub#digest", "1")))))
                .isEqualTo("bad-request invalid-options");
        assertThat(error(iq(romeo, setOptions("news", "romeo@parley.test", field("pubsub#deliver", "maybe")))))
                .isEqualTo("bad-request invalid-options");
        assertThat(error(iq(romeo, set(PUBSUB, "<options node='news' jid='romeo@parley.test'><x xmlns='" + DATA
                + "' type='submit'>" + field("FORM_TYPE", PUBSUB + "#node_config") + "</x></options>"))))
                .isEqualTo("bad-request invalid-options");

        // Delivery on again, with a body: an Atom entry's title and summary, else the payload's text.
        ok(iq(romeo, setOptions("news", "romeo@parley.test", field("pubsub#deliver", "true")
                + field("pubsub#include_body", "1"))));
        ok(iq(juliet, publish("news", "<item id='a1'><entry xmlns='" + ATOM + "'><title>Soliloquy</title>"
                + "<summary>To be, or not to be</summary></entry></item>")));
        assertThat(notifications(romeo.stanzas())).singleElement()
                .satisfies(m -> assertThat(body(m)).isEqualTo("Soliloquy\nTo be, or not to be"));
        ok(iq(juliet, publish("news", geo("i2", "under the  balcony"))));
        assertThat(notifications(romeo.stanzas())).singleElement()
                .satisfies(m -> assertThat(body(m)).isEqualTo("under the balcony"));
        ok(iq(juliet, set(PUBSUB, "<retract node='news' notify='1'><item id='i2'/></retract>")));
        assertThat(notifications(romeo.stanzas())).as("no item, no body").singleElement()
                .satisfies(m -> assertThat(body(m)).isNull());

        // §6.4: the defaults, of the service and of a node.
        Element defaults = iq(nurse, get(PUBSUB, "<default/>"));
        ok(defaults);
        assertThat(formValues(defaults, "default")).containsExactly("pubsub#deliver=1", "pubsub#include_body=0");
        assertThat(formValues(iq(nurse, get(PUBSUB, "<default node='news'/>")), "default"))
                .containsExactly("pubsub#deliver=1", "pubsub#include_body=0");
        assertThat(error(iq(nurse, get(PUBSUB, "<default node='gossip'/>")))).isEqualTo("item-not-found");
    }

    @Test
    void aSubscriptionIsConfiguredWithTheSubscribeRequest_xep0060_6_3_7() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        ok(iq(juliet, publish("news", geo("i1", "needle"))));
        assertThat(error(iq(romeo, set(PUBSUB, "<subscribe node='news' jid='romeo@parley.test'/><options node='news'>"
                + optionsForm(field("pubsub#deliver", "0")) + "</options>")))).as("§6.3.7: no node on the options")
                .isEqualTo("bad-request");

        Element answer = iq(romeo, set(PUBSUB, "<subscribe node='news' jid='romeo@parley.test'/><options>"
                + optionsForm(field("pubsub#deliver", "0")) + "</options>"));
        ok(answer);
        assertThat(answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB))
                .attributeValue("subscription")).isEqualTo("subscribed");
        assertThat(formValues(answer, "options")).as("the resulting options")
                .containsExactly("pubsub#deliver=0", "pubsub#include_body=0");
        assertThat(notifications(romeo.stanzas())).as("§6.1.7's last item is a notification too").isEmpty();
        ok(iq(juliet, publish("news", geo("i2", "haystack"))));
        assertThat(notifications(romeo.stanzas())).isEmpty();

        // Subscribing again with options changes them (§6.1.6: one subscription per JID).
        ok(iq(romeo, set(PUBSUB, "<subscribe node='news' jid='romeo@parley.test'/><options>"
                + optionsForm(field("pubsub#deliver", "1")) + "</options>")));
        ok(iq(juliet, publish("news", geo("i3", "found"))));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML()).contains("found"));
    }

    @Test
    void accessModelsDecideWhoSubscribes_xep0060_4_5_6_1_3() throws Exception {
        start();
        ok(iq(juliet, create("presence", field("pubsub#access_model", "presence"))));
        assertThat(error(iq(nurse, subscribe("presence", "nurse@parley.test")))).as("§6.1.3.2")
                .isEqualTo("not-authorized presence-subscription-required");
        ok(iq(romeo, subscribe("presence", "romeo@parley.test")));

        ok(iq(juliet, create("roster", field("pubsub#access_model", "roster")
                + field("pubsub#roster_groups_allowed", "Friends"))));
        assertThat(error(iq(romeo, subscribe("roster", "romeo@parley.test")))).as("§6.1.3.3")
                .isEqualTo("not-authorized not-in-roster-group");

        ok(iq(juliet, create("list", field("pubsub#access_model", "whitelist"))));
        assertThat(error(iq(nurse, subscribe("list", "nurse@parley.test")))).as("§6.1.3.4")
                .isEqualTo("not-allowed closed-node");
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='list'/>")))).as("§6.5.9.6").isEqualTo("not-allowed closed-node");
        ok(iq(juliet, set(OWNER, "<affiliations node='list'><affiliation jid='nurse@parley.test' affiliation='member'/>"
                + "</affiliations>")));
        ok(iq(nurse, subscribe("list", "nurse@parley.test")));

        ok(iq(juliet, set(OWNER, "<affiliations node='list'><affiliation jid='nurse@parley.test' affiliation='outcast'/>"
                + "</affiliations>")));
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='list'/>")))).as("§6.5.9.8").isEqualTo("forbidden");
        assertThat(error(iq(nurse, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_INFO
                + "' node='list'/></iq>"))).as("a node one may not see is not found").isEqualTo("item-not-found");
    }

    @Test
    void underAuthorizeAnOwnerApprovesBySubmittingTheForm_xep0060_6_1_3_7_8_6() throws Exception {
        start(c -> c.with(PubsubModule.SUBSCRIPTION_NOTIFICATIONS, true));
        ok(iq(juliet, create("club", field("pubsub#access_model", "authorize"))));
        juliet.stanzas();
        Element pending = iq(nurse, subscribe("club", "nurse@parley.test"));
        assertThat(pending.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB))
                .attributeValue("subscription")).isEqualTo("pending");
        assertThat(error(iq(nurse, subscribe("club", "nurse@parley.test")))).isEqualTo("not-authorized pending-subscription");
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='club'/>")))).as("§6.5.9.3")
                .isEqualTo("not-authorized not-subscribed");

        List<Element> forms = juliet.stanzas().stream().filter(s -> s.getName().equals("message")).toList();
        assertThat(forms).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains(PUBSUB + "#subscribe_authorization").contains("nurse@parley.test"));
        send(juliet, "<message to='" + SERVICE + "'><x xmlns='" + DATA + "' type='cancel'>"
                + field("FORM_TYPE", PUBSUB + "#subscribe_authorization") + "</x></message>");
        assertThat(error(iq(nurse, subscribe("club", "nurse@parley.test")))).as("§8.6: a cancelled form leaves it pending")
                .isEqualTo("not-authorized pending-subscription");
        send(juliet, "<message to='" + SERVICE + "'><x xmlns='" + DATA + "' type='submit'>"
                + field("FORM_TYPE", PUBSUB + "#subscribe_authorization") + field("pubsub#node", "club")
                + field("pubsub#subscriber_jid", "nurse@parley.test") + field("pubsub#allow", "true") + "</x></message>");

        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> assertThat(m.element(
                QName.get("event", EVENT)).element(QName.get("subscription", EVENT)).attributeValue("subscription"))
                .isEqualTo("subscribed"));
        ok(iq(juliet, publish("club", geo("c1", "members only"))));
        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains("members only"));
        assertThat(itemIds(iq(nurse, get(PUBSUB, "<items node='club'/>")))).containsExactly("c1");
    }

    @Test
    void anOwnerAsksForThePendingRequestsOfANodeWithTheAdHocCommand_xep0060_8_7() throws Exception {
        start();
        String commands = "http://jabber.org/protocol/commands";
        ok(iq(juliet, create("club", field("pubsub#access_model", "authorize"))));
        ok(iq(nurse, subscribe("club", "nurse@parley.test")));
        ok(iq(romeo, subscribe("club", "romeo@parley.test")));
        juliet.stanzas();

        Element list = iq(juliet, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_ITEMS + "' node='"
                + commands + "'/></iq>");
        assertThat(list.element(QName.get("query", DISCO_ITEMS)).elements()).extracting(i -> i.attributeValue("node"))
                .containsExactly(PUBSUB + "#get-pending");
        Element first = iq(juliet, "<iq type='set' id='q' to='" + SERVICE + "'><command xmlns='" + commands
                + "' node='" + PUBSUB + "#get-pending' action='execute'/></iq>").element(QName.get("command", commands));
        assertThat(first.attributeValue("status")).isEqualTo("executing");
        assertThat(first.element(QName.get("x", DATA)).asXML()).as("§8.7.2: the nodes the owner owns").contains("club")
                .contains(PUBSUB + "#subscribe_authorization");

        send(juliet, "<iq type='set' id='q2' to='" + SERVICE + "'><command xmlns='" + commands + "' node='" + PUBSUB
                + "#get-pending' sessionid='" + first.attributeValue("sessionid") + "' action='complete'><x xmlns='"
                + DATA + "' type='submit'>" + field("pubsub#node", "club") + "</x></command></iq>");
        List<Element> got = juliet.stanzas();
        assertThat(got).filteredOn(e -> "q2".equals(e.attributeValue("id"))).singleElement().satisfies(answer ->
                assertThat(answer.element(QName.get("command", commands)).attributeValue("status")).isEqualTo("completed"));
        assertThat(got).filteredOn(e -> e.getName().equals("message")).as("§8.7.4: one form per pending request")
                .extracting(Element::asXML).hasSize(2).anySatisfy(xml -> assertThat(xml).contains("nurse@parley.test"))
                .anySatisfy(xml -> assertThat(xml).contains("romeo@parley.test"));

        assertThat(error(iq(nurse, "<iq type='set' id='q' to='" + SERVICE + "'><command xmlns='" + commands
                + "' node='" + PUBSUB + "#get-pending' action='execute'/></iq>"))).as("§8.7.3.3: owns no node")
                .isEqualTo("forbidden");
    }

    @Test
    void anOwnerApprovesAPendingSubscriptionBySettingItSubscribed_xep0060_8_8_2() throws Exception {
        start();
        ok(iq(juliet, create("club", field("pubsub#access_model", "authorize"))));
        ok(iq(nurse, subscribe("club", "nurse@parley.test")));
        assertThat(iq(juliet, get(OWNER, "<subscriptions node='club'/>")).asXML()).as("§8.8.1: pending ones are not listed")
                .doesNotContain("nurse@parley.test");
        // As Smack 4.4's Node.modifySubscriptionsAsOwner sends it: the entry in the plain pubsub namespace.
        ok(iq(juliet, set(OWNER, "<subscriptions node='club'><subscription xmlns='" + PUBSUB
                + "' jid='nurse@parley.test' subscription='subscribed'/></subscriptions>")));
        assertThat(notifications(nurse.stanzas())).as("pubsub.subscription_notifications is off by default").isEmpty();
        ok(iq(juliet, publish("club", geo("c1", "approved"))));
        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML()).contains("approved"));

        Element refused = iq(juliet, set(OWNER, "<subscriptions node='club'><subscription jid='nurse@parley.test' "
                + "subscription='unconfigured'/></subscriptions>"));
        assertThat(error(refused)).as("§8.8.2.4").isEqualTo("not-acceptable");
        assertThat(refused.asXML()).contains("subscription=\"subscribed\"");
        ok(iq(juliet, set(OWNER, "<subscriptions node='club'><subscription jid='nurse@parley.test' "
                + "subscription='none'/></subscriptions>")));
        nurse.stanzas();
        ok(iq(juliet, publish("club", geo("c2", "gone"))));
        assertThat(notifications(nurse.stanzas())).isEmpty();

        // §8.7's note: a pending subscription of an entity made a member is approved; the last
        // item follows the approval (§12, item caching; send_last_published_item on_sub).
        ok(iq(romeo, subscribe("club", "romeo@parley.test")));
        ok(iq(juliet, set(OWNER, "<affiliations node='club'><affiliation jid='romeo@parley.test' affiliation='member'/>"
                + "</affiliations>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML()).contains("gone"));
        ok(iq(juliet, publish("club", geo("c3", "for members"))));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains("for members"));
    }

    @Test
    void onlyPublishersPublishAndANodeKeepsAnOwner_xep0060_7_1_3_1_8_9() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        assertThat(error(iq(romeo, publish("news", geo("r1", "mine"))))).as("§7.1.3.1").isEqualTo("forbidden");
        assertThat(error(iq(romeo, set(OWNER, "<delete node='news'/>")))).as("§8.4.3.1").isEqualTo("forbidden");
        ok(iq(juliet, set(OWNER, "<affiliations node='news'><affiliation jid='romeo@parley.test' affiliation='publisher'/>"
                + "</affiliations>")));
        ok(iq(romeo, publish("news", geo("r1", "mine"))));

        Element list = iq(juliet, get(OWNER, "<affiliations node='news'/>")).element(QName.get("pubsub", OWNER))
                .element(QName.get("affiliations", OWNER));
        assertThat(list.elements()).extracting(a -> a.attributeValue("jid") + " " + a.attributeValue("affiliation"))
                .containsExactlyInAnyOrder("juliet@parley.test owner", "romeo@parley.test publisher");
        assertThat(error(iq(juliet, set(OWNER, "<affiliations node='news'><affiliation jid='juliet@parley.test' "
                + "affiliation='none'/></affiliations>")))).isEqualTo("not-acceptable");

        Element mine = iq(romeo, get(PUBSUB, "<affiliations/>")).element(QName.get("pubsub", PUBSUB))
                .element(QName.get("affiliations", PUBSUB));
        assertThat(mine.elements()).extracting(a -> a.attributeValue("node") + " " + a.attributeValue("affiliation"))
                .containsExactly("news publisher");

        // §4.1 table 4: a publish-only entity publishes, but neither subscribes nor reads items.
        ok(iq(juliet, set(OWNER, "<affiliations node='news'><affiliation jid='nurse@parley.test' "
                + "affiliation='publish-only'/></affiliations>")));
        ok(iq(nurse, publish("news", geo("n1", "from the kitchen"))));
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='news'/>")))).isEqualTo("forbidden");
        assertThat(error(iq(nurse, subscribe("news", "nurse@parley.test")))).isEqualTo("forbidden");
    }

    @Test
    void retractPurgeAndDeleteAreNotified_xep0060_7_2_8_5_8_4() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        ok(iq(romeo, subscribe("news", "romeo@parley.test")));
        ok(iq(juliet, publish("news", geo("a", "one"))));
        romeo.stanzas();

        ok(iq(juliet, set(PUBSUB, "<retract node='news' notify='true'><item id='a'/></retract>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML()).contains("retract"));
        assertThat(error(iq(juliet, set(PUBSUB, "<retract node='news'><item id='a'/></retract>")))).as("§7.2.3.3")
                .isEqualTo("item-not-found");

        ok(iq(juliet, publish("news", geo("b", "two"))));
        romeo.stanzas();
        ok(iq(juliet, set(OWNER, "<purge node='news'/>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.element(
                QName.get("event", EVENT)).element(QName.get("purge", EVENT))).isNotNull());
        assertThat(itemIds(iq(juliet, get(PUBSUB, "<items node='news'/>")))).isEmpty();

        ok(iq(juliet, set(OWNER, "<delete node='news'><redirect uri='xmpp:" + SERVICE + "?;node=elsewhere'/></delete>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains("delete").contains("elsewhere"));
        assertThat(error(iq(juliet, set(OWNER, "<delete node='news'/>")))).as("§8.4.3.2").isEqualTo("item-not-found");
    }

    @Test
    void theOwnerConfiguresAndSubscribersAreToldIfTheNodeSaysSo_xep0060_8_2() throws Exception {
        start();
        ok(iq(juliet, create("news", field("pubsub#notify_config", "1") + field("pubsub#max_items", "2"))));
        ok(iq(romeo, subscribe("news", "romeo@parley.test")));
        for (String id : List.of("a", "b", "c")) {
            ok(iq(juliet, publish("news", geo(id, id))));
        }
        assertThat(itemIds(iq(juliet, get(PUBSUB, "<items node='news'/>")))).as("max_items 2").containsExactly("b", "c");
        romeo.stanzas();

        Element form = iq(juliet, get(OWNER, "<configure node='news'/>")).element(QName.get("pubsub", OWNER))
                .element(QName.get("configure", OWNER)).element(QName.get("x", DATA));
        assertThat(form.asXML()).contains("pubsub#max_items");
        ok(iq(juliet, set(OWNER, "<configure node='news'><x xmlns='" + DATA + "' type='submit'>"
                + field("FORM_TYPE", PUBSUB + "#node_config") + field("pubsub#title", "News") + field("pubsub#max_items", "1")
                + "</x></configure>")));
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.asXML())
                .contains("configuration").contains("News"));
        assertThat(itemIds(iq(juliet, get(PUBSUB, "<items node='news'/>")))).as("a lower max_items trims")
                .containsExactly("c");
        assertThat(error(iq(juliet, set(OWNER, "<configure node='news'><x xmlns='" + DATA + "' type='submit'>"
                + field("pubsub#max_items", "100000") + "</x></configure>")))).isEqualTo("policy-violation");

        Element info = iq(nurse, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_INFO
                + "' node='news'/></iq>").element(QName.get("query", DISCO_INFO));
        assertThat(info.element("identity").attributeValue("type")).isEqualTo("leaf");
        assertThat(info.asXML()).contains(PUBSUB + "#meta-data").contains("News").contains("juliet@parley.test");
        Element nodes = iq(nurse, "<iq type='get' id='q' to='" + SERVICE + "'><query xmlns='" + DISCO_ITEMS + "'/></iq>");
        assertThat(nodes.element(QName.get("query", DISCO_ITEMS)).elements()).extracting(i -> i.attributeValue("node"))
                .containsExactly("news");
    }

    @Test
    void whoCreatesNodesIsTheOperatorsChoice() throws Exception {
        start(c -> c.with(PubsubModule.CREATE_NODES, PubsubModule.CreateNodes.ADMINS));
        assertThat(error(iq(juliet, create("news", "")))).as("§8.1.3.1").isEqualTo("forbidden");
        assertThat(error(iq(juliet, publish("news", geo("a", "auto"))))).as("no auto-create either")
                .isEqualTo("item-not-found");
    }

    @Test
    void theServiceLimitsNodesPayloadsAndSubscriptions_xep0060_7_1_3_4_and_6_1_3_9() throws Exception {
        start(c -> c.with(PubsubModule.MAX_NODES_PER_OWNER, 1).with(PubsubModule.MAX_PAYLOAD_SIZE, 200)
                .with(PubsubModule.MAX_SUBSCRIPTIONS, 1).with(PubsubModule.MAX_ITEMS, 3));
        ok(iq(juliet, create("news", "")));
        assertThat(error(iq(juliet, create("more", "")))).as("pubsub.max_nodes_per_owner")
                .isEqualTo("not-allowed max-nodes-exceeded");
        ok(iq(romeo, create("romeos", "")));

        assertThat(error(iq(juliet, publish("news", geo("big", "x".repeat(300)))))).as("§7.1.3.4, pubsub.max_payload_size")
                .isEqualTo("not-acceptable payload-too-big");
        assertThat(error(iq(romeo, create("many", field("pubsub#max_items", "4"))))).as("pubsub.max_items")
                .isEqualTo("policy-violation");
        ok(iq(juliet, set(OWNER, "<configure node='news'><x xmlns='" + DATA + "' type='submit'>"
                + field("pubsub#max_items", "max") + "</x></configure>")));
        assertThat(iq(juliet, get(OWNER, "<configure node='news'/>")).asXML()).as("max means the service's limit")
                .contains("<value>3</value>");

        ok(iq(romeo, subscribe("news", "romeo@parley.test")));
        assertThat(error(iq(nurse, subscribe("news", "nurse@parley.test")))).as("pubsub.max_subscriptions")
                .isEqualTo("policy-violation too-many-subscriptions");
    }

    @Test
    void publishingToANodeThatDoesNotExistCreatesIt_xep0060_7_1_4() throws Exception {
        start();
        ok(iq(juliet, set(PUBSUB, "<publish node='auto'>" + geo("a", "x") + "</publish><publish-options><x xmlns='"
                + DATA + "' type='submit'>" + field("FORM_TYPE", PUBSUB + "#publish-options")
                + field("pubsub#access_model", "whitelist") + "</x></publish-options>")));
        assertThat(error(iq(nurse, get(PUBSUB, "<items node='auto'/>")))).isEqualTo("not-allowed closed-node");
        assertThat(error(iq(juliet, set(PUBSUB, "<publish node='auto'>" + geo("b", "y") + "</publish><publish-options>"
                + "<x xmlns='" + DATA + "' type='submit'>" + field("FORM_TYPE", PUBSUB + "#publish-options")
                + field("pubsub#access_model", "open") + "</x></publish-options>")))).as("§7.1.5.3")
                .isEqualTo("conflict precondition-not-met");
    }

    @Test
    void aDeletedAccountTakesItsNodesAndSubscriptionsAlong() throws Exception {
        start();
        ok(iq(juliet, create("news", "")));
        ok(iq(romeo, create("romeos", "")));
        ok(iq(juliet, subscribe("romeos", "juliet@parley.test")));
        server.accounts().delete(org.jxmpp.jid.impl.JidCreate.entityBareFrom("romeo@parley.test"));

        assertThat(error(iq(nurse, get(PUBSUB, "<items node='romeos'/>")))).isEqualTo("item-not-found");
        assertThat(iq(juliet, get(PUBSUB, "<subscriptions/>")).asXML()).doesNotContain("romeos");
        ok(iq(nurse, get(PUBSUB, "<items node='news'/>")));
    }
}
