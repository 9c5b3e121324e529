package im.parley.server.modules.pep;

import static im.parley.server.modules.pep.PepWorld.JULIET;
import static im.parley.server.modules.pep.PepWorld.NURSE;
import static im.parley.server.modules.pep.PepWorld.ROMEO;
import static im.parley.server.modules.pep.PepScript.answerCapsQueries;
import static im.parley.server.modules.pep.PepScript.error;
import static im.parley.server.modules.pep.PepScript.field;
import static im.parley.server.modules.pep.PepScript.iq;
import static im.parley.server.modules.pep.PepScript.publish;
import static im.parley.server.modules.pep.PepScript.resultSet;
import static im.parley.server.modules.pep.PepScript.tune;
import static im.parley.server.modules.pep.PepScript.capsPresence;
import static im.parley.server.modules.pep.PepScript.discoQuery;
import static im.parley.server.modules.pep.PepScript.notifications;
import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Personal eventing (XEP-0163) on the subset of PubSub (XEP-0060) it needs, end to end on a
 * test server: Juliet owns the nodes, Romeo is her contact (mutual presence subscription), the
 * Nurse knows nobody. Each test names the section it proves.
 */
class PepModuleTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = PUBSUB + "#owner";
    private static final String EVENT = PUBSUB + "#event";
    private static final String ERRORS = PUBSUB + "#errors";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private PepWorld world;
    private TestServer server;
    private TestClient juliet;
    private TestClient romeo;
    private TestClient nurse;
    private final InlinePool pool = new InlinePool();

    private void start(UnaryOperator<ParleyConfig> config) throws Exception {
        world = new PepWorld(dir, clock, pool, config);
        server = world.server;
        juliet = world.juliet;
        romeo = world.romeo;
        nurse = world.nurse;
    }

    private void start() throws Exception {
        start(c -> c);
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private TestClient online(String user, String resource) {
        return world.online(user, resource);
    }

    private void quiet() {
        world.quiet();
    }

    private static String items(String owner, String node, String extra) {
        return "<iq type='get' id='q' to='" + owner + "'><pubsub xmlns='" + PUBSUB + "'><items node='" + node + "'"
                + extra + "</pubsub></iq>";
    }

    private static List<String> titles(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("items", PUBSUB))
                .elements(QName.get("item", PUBSUB)).stream()
                .map(i -> i.element(QName.get("tune", TUNE)).elementText("title")).toList();
    }

    private static String configure(String node, String fields) {
        return "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><configure node='" + node + "'>"
                + "<x xmlns='jabber:x:data' type='submit'>" + field("FORM_TYPE", PUBSUB + "#node_config") + fields
                + "</x></configure></pubsub></iq>";
    }

    private static String configValue(TestClient owner, String node, String var) {
        Element answer = iq(owner, "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><configure node='" + node
                + "'/></pubsub></iq>");
        Element x = answer.element(QName.get("pubsub", OWNER)).element(QName.get("configure", OWNER))
                .element(QName.get("x", "jabber:x:data"));
        return x.elements().stream().filter(f -> var.equals(f.attributeValue("var"))).findFirst().orElseThrow()
                .elementText("value");
    }

    private static List<Element> questions(List<Element> stanzas) {
        return stanzas.stream().filter(s -> "iq".equals(s.getName()) && s.element(QName.get("query", DISCO_INFO)) != null)
                .toList();
    }

    @Test
    void theAccountIsAPepServiceWithThePubsubFeatures_xep0163_6_1() throws Exception {
        start();

        Element query = iq(juliet, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='" + DISCO_INFO + "'/></iq>")
                .element(QName.get("query", DISCO_INFO));

        assertThat(query.elements("identity")).extracting(i -> i.attributeValue("category") + "/" + i.attributeValue("type"))
                .contains("account/registered", "pubsub/pep");
        assertThat(query.elements("feature")).extracting(f -> f.attributeValue("var")).contains(PUBSUB + "#publish",
                PUBSUB + "#auto-create", PUBSUB + "#publish-options", PUBSUB + "#access-presence", PUBSUB + "#access-open",
                PUBSUB + "#access-roster", PUBSUB + "#access-whitelist", PUBSUB + "#retrieve-items",
                PUBSUB + "#retract-items", PUBSUB + "#delete-nodes", PUBSUB + "#purge-nodes", PUBSUB + "#config-node",
                PUBSUB + "#persistent-items", PUBSUB + "#last-published", PUBSUB + "#filtered-notifications",
                PUBSUB + "#rsm");
    }

    @Test
    void publishingCreatesTheNodeAndNamesTheItemAndTheSameIdReplaces_xep0163_3_and_xep0060_7_1_2() throws Exception {
        start();

        Element answer = iq(juliet, publish(TUNE, tune(null, "Allegro"), ""));
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        String id = answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("publish", PUBSUB))
                .element(QName.get("item", PUBSUB)).attributeValue("id");
        assertThat(id).isNotBlank();
        assertThat(titles(iq(juliet, items(JULIET, TUNE, "/>")))).containsExactly("Allegro");

        iq(juliet, publish("urn:example:list", tune("a", "one"), field("pubsub#max_items", "5")));
        iq(juliet, publish("urn:example:list", tune("b", "two"), ""));
        iq(juliet, publish("urn:example:list", tune("a", "three"), ""));
        assertThat(titles(iq(juliet, items(JULIET, "urn:example:list", "/>")))).containsExactly("two", "three");
    }

    @Test
    void publishOptionsConfigureANewNodeAndMustMatchAnExistingOne_xep0060_7_1_5() throws Exception {
        start();

        iq(juliet, publish("urn:example:open", tune("1", "a"), field("pubsub#access_model", "open")));
        assertThat(configValue(juliet, "urn:example:open", "pubsub#access_model")).isEqualTo("open");
        assertThat(iq(juliet, publish("urn:example:open", tune("2", "b"), field("pubsub#access_model", "open")))
                .attributeValue("type")).isEqualTo("result");

        assertThat(error(iq(juliet, publish("urn:example:open", tune("3", "c"), field("pubsub#access_model", "presence")))))
                .isEqualTo("conflict precondition-not-met");
        assertThat(error(iq(juliet, publish("urn:example:open", tune("3", "c"), field("pubsub#title", "x")))))
                .isEqualTo("conflict precondition-not-met");
    }

    @Test
    void maxItemsKeepsTheNewestAndMaxIsTheServersLimit_xep0060_16_4_4() throws Exception {
        start(c -> c.with(PepModule.MAX_ITEMS, 50));

        for (String title : List.of("1", "2", "3")) {
            iq(juliet, publish("urn:example:two", tune(title, title), field("pubsub#max_items", "2")));
        }
        assertThat(titles(iq(juliet, items(JULIET, "urn:example:two", "/>")))).containsExactly("2", "3");

        iq(juliet, publish("urn:example:max", tune("1", "1"), field("pubsub#max_items", "max")));
        assertThat(configValue(juliet, "urn:example:max", "pubsub#max_items")).isEqualTo("50");
        assertThat(error(iq(juliet, publish("urn:example:big", tune("1", "1"), field("pubsub#max_items", "51")))))
                .isEqualTo("policy-violation");
    }

    @Test
    void itemsAreRetrievedAllTheNewestOrById_xep0060_6_5_2_and_6_5_7_and_6_5_8() throws Exception {
        start();
        for (String title : List.of("1", "2", "3")) {
            iq(juliet, publish("urn:example:n", tune("id" + title, title), field("pubsub#max_items", "10")));
        }

        assertThat(titles(iq(juliet, items(JULIET, "urn:example:n", "/>")))).containsExactly("1", "2", "3");
        assertThat(titles(iq(juliet, items(JULIET, "urn:example:n", " max_items='2'/>")))).containsExactly("2", "3");
        assertThat(titles(iq(juliet, items(JULIET, "urn:example:n", "><item id='id1'/><item id='id3'/></items>"))))
                .containsExactly("1", "3");
        assertThat(error(iq(juliet, items(JULIET, "urn:example:n", "><item id='nonesuch'/></items>"))))
                .isEqualTo("item-not-found");
        assertThat(error(iq(juliet, items(JULIET, "urn:example:none", "/>")))).isEqualTo("item-not-found");
    }

    private static final String RSM = "http://jabber.org/protocol/rsm";

    @Test
    void aPageOfItemsWithRsm_xep0060_6_5_4_and_xep0059_2() throws Exception {
        start();
        for (String title : List.of("1", "2", "3", "4")) {
            iq(juliet, publish("urn:example:n", tune("id" + title, title), field("pubsub#max_items", "10")));
        }
        String set = "/><set xmlns='" + RSM + "'>";

        Element first = iq(romeo, items(JULIET, "urn:example:n", set + "<max>3</max></set>"));
        assertThat(titles(first)).as("XEP-0059 §2.1, oldest first as §6.5.3").containsExactly("1", "2", "3");
        assertThat(resultSet(first)).isEqualTo("id1@0 id3 4");
        Element next = iq(romeo, items(JULIET, "urn:example:n", set + "<max>3</max><after>id3</after></set>"));
        assertThat(titles(next)).as("§2.2").containsExactly("4");
        assertThat(resultSet(next)).isEqualTo("id4@3 id4 4");
        assertThat(titles(iq(romeo, items(JULIET, "urn:example:n", set + "<max>2</max><before/></set>"))))
                .as("§2.5: the newest").containsExactly("3", "4");
        assertThat(titles(iq(romeo, items(JULIET, "urn:example:n", set + "<max>2</max><before>id3</before></set>"))))
                .as("§2.3").containsExactly("1", "2");
        assertThat(resultSet(iq(romeo, items(JULIET, "urn:example:n", set + "<max>0</max></set>")))).as("§2.7")
                .isEqualTo("4");
        assertThat(error(iq(romeo, items(JULIET, "urn:example:n", set + "<after>nonesuch</after></set>")))).as("§2.4")
                .isEqualTo("item-not-found");
        assertThat(error(iq(nurse, items(JULIET, "urn:example:n", set + "<max>3</max></set>"))))
                .as("the access model still decides (§6.5.9.4)").startsWith("not-authorized");
        Element plain = iq(romeo, items(JULIET, "urn:example:n", "/>"));
        assertThat(titles(plain)).as("without <set/>, as before").containsExactly("1", "2", "3", "4");
        assertThat(plain.element(QName.get("pubsub", PUBSUB)).element(QName.get("set", RSM))).isNull();
    }

    /**
     * XEP-0060 §16.4.4 {@code pubsub#item_expire} on a PEP node: in the configuration form, set
     * with publish-options or a configuration, and an item older than it is neither returned
     * (items, a page of them) nor sent as the last item to a new subscriber (§6.1.7).
     */
    @Test
    void itemsOlderThanItemExpireAreNeitherReturnedNorSent_xep0060_16_4_4() throws Exception {
        start();
        String open = field("pubsub#access_model", "open") + field("pubsub#max_items", "10");
        iq(juliet, publish("urn:example:n", tune("old", "old"), open + field("pubsub#item_expire", "60")));
        assertThat(configValue(juliet, "urn:example:n", "pubsub#item_expire")).isEqualTo("60");
        iq(juliet, publish(TUNE, tune("t", "t"), ""));
        assertThat(configValue(juliet, TUNE, "pubsub#item_expire")).as("by default items do not expire").isEmpty();
        assertThat(error(iq(juliet, configure(TUNE, field("pubsub#item_expire", "soon"))))).isEqualTo("not-acceptable");

        clock.advance(Duration.ofSeconds(30));
        iq(juliet, publish("urn:example:n", tune("new", "new"), ""));
        clock.advance(Duration.ofSeconds(31));
        assertThat(titles(iq(romeo, items(JULIET, "urn:example:n", "/>")))).as("61 s old: expired").containsExactly("new");
        assertThat(resultSet(iq(romeo, items(JULIET, "urn:example:n", "/><set xmlns='" + RSM + "'><max>5</max></set>"))))
                .as("§6.5.4: a page of what is left").isEqualTo("new@0 new 1");

        send(nurse, "<iq type='set' id='s' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><subscribe node='urn:example:n' jid='" + NURSE + "'/></pubsub></iq>");
        assertThat(notifications(nurse.stanzas())).as("§6.1.7: the last item, 31 s old").hasSize(1);
        iq(nurse, "<iq type='set' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><unsubscribe node='urn:example:n' jid='" + NURSE + "'/></pubsub></iq>");
        clock.advance(Duration.ofSeconds(30));
        send(nurse, "<iq type='set' id='s' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><subscribe node='urn:example:n' jid='" + NURSE + "'/></pubsub></iq>");
        assertThat(notifications(nurse.stanzas())).as("expired too: no last item").isEmpty();
        assertThat(titles(iq(romeo, items(JULIET, "urn:example:n", "/>")))).isEmpty();

        iq(juliet, configure("urn:example:n", field("pubsub#item_expire", "0")));
        iq(juliet, publish("urn:example:n", tune("kept", "kept"), ""));
        clock.advance(Duration.ofDays(400));
        assertThat(titles(iq(romeo, items(JULIET, "urn:example:n", "/>")))).as("0: never").containsExactly("kept");

        iq(juliet, configure("urn:example:n", field("pubsub#item_expire", "60")));
        iq(juliet, publish("urn:example:n", tune("r", "r"), ""));
        clock.advance(Duration.ofSeconds(61));
        assertThat(error(iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><retract node='urn:example:n'>"
                + "<item id='r'/></retract></pubsub></iq>"))).as("§7.2.3.3: expired, so not there").isEqualTo("item-not-found");
    }

    @Test
    void presenceAccessNeedsASubscriptionAndOpenAccessNeedsNothing_xep0060_6_5_9_4_and_xep0163_5() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("1", "presence only"), ""));
        iq(juliet, publish("eu.siacs.conversations.axolotl.devicelist", tune("current", "devices"),
                field("pubsub#access_model", "open")));

        assertThat(titles(iq(romeo, items(JULIET, TUNE, "/>")))).containsExactly("presence only");
        assertThat(error(iq(nurse, items(JULIET, TUNE, "/>")))).isEqualTo("not-authorized presence-subscription-required");
        assertThat(titles(iq(nurse, items(JULIET, "eu.siacs.conversations.axolotl.devicelist", "/>"))))
                .containsExactly("devices");
    }

    @Test
    void rosterAccessNeedsAnAllowedGroup_xep0060_6_5_9_5() throws Exception {
        start();
        iq(juliet, "<iq type='set' id='q'><query xmlns='jabber:iq:roster'><item jid='" + ROMEO
                + "'><group>Friends</group></item></query></iq>");
        iq(juliet, "<iq type='set' id='q'><query xmlns='jabber:iq:roster'><item jid='" + NURSE
                + "'><group>Servants</group></item></query></iq>");
        iq(juliet, publish(TUNE, tune("1", "friends only"), field("pubsub#access_model", "roster")
                + field("pubsub#roster_groups_allowed", "Friends")));

        assertThat(titles(iq(romeo, items(JULIET, TUNE, "/>")))).containsExactly("friends only");
        assertThat(error(iq(nurse, items(JULIET, TUNE, "/>")))).isEqualTo("not-authorized not-in-roster-group");
    }

    @Test
    void whitelistAccessAdmitsTheMembersTheOwnerNames_xep0060_6_5_9_6_and_8_9() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("1", "secret"), field("pubsub#access_model", "whitelist")));

        assertThat(error(iq(romeo, items(JULIET, TUNE, "/>")))).isEqualTo("not-allowed closed-node");
        Element set = iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><affiliations node='" + TUNE + "'>"
                + "<affiliation jid='" + NURSE + "' affiliation='member'/></affiliations></pubsub></iq>");
        assertThat(set.attributeValue("type")).as(set.asXML()).isEqualTo("result");
        assertThat(titles(iq(nurse, items(JULIET, TUNE, "/>")))).containsExactly("secret");
        assertThat(error(iq(romeo, items(JULIET, TUNE, "/>")))).isEqualTo("not-allowed closed-node");

        Element affiliations = iq(juliet, "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><affiliations node='"
                + TUNE + "'/></pubsub></iq>").element(QName.get("pubsub", OWNER)).element(QName.get("affiliations", OWNER));
        assertThat(affiliations.elements()).extracting(a -> a.attributeValue("jid") + " " + a.attributeValue("affiliation"))
                .containsExactly(JULIET + " owner", NURSE + " member");
    }

    @Test
    void onlyTheOwnerPublishesAndConfigures_xep0060_7_1_3_1_and_8_2_3_2() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("1", "mine"), ""));

        assertThat(error(iq(romeo, publish(TUNE, tune("2", "his"), "").replace("<iq type='set' id='q'>",
                "<iq type='set' id='q' to='" + JULIET + "'>")))).isEqualTo("forbidden");
        assertThat(error(iq(romeo, "<iq type='set' id='q' to='" + JULIET + "'><pubsub xmlns='" + OWNER + "'><purge node='"
                + TUNE + "'/></pubsub></iq>"))).isEqualTo("forbidden");
    }

    @Test
    void notificationsGoToResourcesThatWantTheNodeAndMaySeeIt_xep0163_4_and_xep0060_7_1_2() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE, TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        send(juliet, capsPresence(wantsTunes));
        // Directed presence: the Nurse is present at Juliet's account, wants tunes, but is not subscribed.
        send(nurse, capsPresence(wantsTunes).replace("<presence>", "<presence to='" + JULIET + "'>"));
        answerCapsQueries(romeo, wantsTunes);
        answerCapsQueries(juliet, wantsTunes);
        answerCapsQueries(nurse, wantsTunes);
        quiet();
        TestClient julietElsewhere = online(JULIET, "chamber");
        quiet();

        send(juliet, publish(TUNE, tune("t1", "Allegro"), ""));
        List<Element> julietGot = juliet.stanzas();

        Element toRomeo = notifications(romeo.stanzas()).get(0);
        assertThat(toRomeo.attributeValue("from")).isEqualTo(JULIET);
        assertThat(toRomeo.attributeValue("to")).isEqualTo(ROMEO + "/orchard");
        assertThat(toRomeo.attributeValue("type")).isEqualTo("headline");
        Element item = toRomeo.element(QName.get("event", EVENT)).element(QName.get("items", EVENT))
                .element(QName.get("item", EVENT));
        assertThat(item.attributeValue("id")).isEqualTo("t1");
        assertThat(item.element(QName.get("tune", TUNE)).elementText("title")).isEqualTo("Allegro");
        assertThat(response(julietGot, "q").attributeValue("type")).isEqualTo("result");
        assertThat(notifications(julietGot)).as("the owner's resource that wants tunes").hasSize(1);
        assertThat(notifications(julietElsewhere.stanzas())).as("the owner's resource without +notify").isEmpty();
        assertThat(notifications(nurse.stanzas())).as("no presence subscription").isEmpty();
    }

    @Test
    void theLastItemGoesToANewlyAvailableResourceThatWantsIt_xep0163_4_3_4() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "first"), ""));
        iq(juliet, publish(TUNE, tune("t2", "last"), ""));
        Element wantsTunes = discoQuery(TUNE + "+notify");

        TestClient romeoPhone = server.login(ROMEO, "phone");
        send(romeoPhone, capsPresence(wantsTunes));
        List<Element> got = answerCapsQueries(romeoPhone, wantsTunes);
        got = new ArrayList<>(got);
        got.addAll(romeoPhone.stanzas());

        assertThat(notifications(got)).singleElement().satisfies(last -> {
            assertThat(last.element(QName.get("event", EVENT)).element(QName.get("items", EVENT))
                    .element(QName.get("item", EVENT)).attributeValue("id")).isEqualTo("t2");
            assertThat(last.element(QName.get("delay", "urn:xmpp:delay"))).isNotNull();
        });
        TestClient nursePhone = server.login(NURSE, "phone");
        send(nursePhone, capsPresence(wantsTunes));
        List<Element> nurseGot = nursePhone.stanzas();
        assertThat(questions(nurseGot)).as("a verified ver is not asked again").isEmpty();
        assertThat(notifications(nurseGot)).as("no presence subscription, no item").isEmpty();
    }

    @Test
    void theOwnersNewResourceGetsTheLastItemAndABlockedContactNothing_xep0163_4_3_3_and_4_3_4() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        answerCapsQueries(romeo, wantsTunes);
        iq(juliet, "<iq type='set' id='q'><block xmlns='urn:xmpp:blocking'><item jid='" + ROMEO + "'/></block></iq>");
        quiet();

        iq(juliet, publish(TUNE, tune("t1", "for my own devices"), ""));
        assertThat(notifications(romeo.stanzas())).as("blocked (XEP-0163 §4.3.3 rule 3)").isEmpty();

        TestClient julietTablet = server.login(JULIET, "tablet");
        send(julietTablet, capsPresence(wantsTunes));
        assertThat(notifications(julietTablet.stanzas())).as("a verified ver is not asked again")
                .singleElement().satisfies(last -> assertThat(last.attributeValue("from")).isEqualTo(JULIET));
    }

    @Test
    void aVerIsTrustedForOthersOnlyWhenItsHashMatches_xep0115_5_4() throws Exception {
        start();
        String forged = "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://client.test'"
                + " ver='forged='/></presence>";
        send(romeo, forged);
        List<Element> asked = questions(romeo.stanzas());
        assertThat(asked).hasSize(1);
        send(nurse, forged);
        assertThat(questions(nurse.stanzas())).as("one query per ver at a time").isEmpty();
        // Romeo's answer does not hash to the ver: it says nothing about the Nurse's client, which is asked in turn.
        Element answer = discoQuery(TUNE + "+notify").addAttribute("node", "https://client.test#forged=");
        send(romeo, "<iq type='result' id='" + asked.get(0).attributeValue("id") + "' to='"
                + asked.get(0).attributeValue("from") + "'>" + answer.asXML() + "</iq>");
        List<Element> nurseAsked = questions(nurse.stanzas());
        assertThat(nurseAsked).hasSize(1);
        send(nurse, "<iq type='result' id='" + nurseAsked.get(0).attributeValue("id") + "' to='"
                + nurseAsked.get(0).attributeValue("from") + "'>" + answer.asXML() + "</iq>");
        // Nor is the ver remembered for anyone else.
        TestClient romeoPhone = server.login(ROMEO, "phone");
        send(romeoPhone, forged);
        assertThat(questions(romeoPhone.stanzas())).hasSize(1);
    }

    @Test
    void aQueryLeftUnansweredIsAskedOfTheNextEntityWithTheSameCaps_xep0115_6_2() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(nurse, capsPresence(wantsTunes));
        assertThat(questions(nurse.stanzas())).as("asked, and never answered").hasSize(1);

        send(romeo, capsPresence(wantsTunes));
        assertThat(questions(romeo.stanzas())).as("the Nurse's query is still awaited").isEmpty();
        send(romeo, "<presence type='unavailable'/>");
        clock.advance(CapsResolver.PATIENCE);
        send(romeo, capsPresence(wantsTunes));
        List<Element> asked = romeo.stanzas();
        assertThat(questions(asked)).as("asked again, of Romeo").hasSize(1);
        answerCapsQueries(romeo, asked, wantsTunes);
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));
        assertThat(notifications(romeo.stanzas())).hasSize(1);
    }

    @Test
    void retractNotifiesWhenAskedAndDeleteAndPurgeNotify_xep0060_7_2_and_8_4_and_8_5() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        answerCapsQueries(romeo, wantsTunes);
        iq(juliet, publish(TUNE, tune("t1", "x"), field("pubsub#max_items", "5")));
        iq(juliet, publish(TUNE, tune("t2", "y"), ""));
        quiet();

        Element retracted = iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><retract node='" + TUNE
                + "' notify='true'><item id='t1'/></retract></pubsub></iq>");
        assertThat(retracted.attributeValue("type")).isEqualTo("result");
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.element(QName.get("event", EVENT))
                .element(QName.get("items", EVENT)).element(QName.get("retract", EVENT)).attributeValue("id")).isEqualTo("t1"));
        assertThat(error(iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><retract node='" + TUNE
                + "'><item id='t1'/></retract></pubsub></iq>"))).isEqualTo("item-not-found");

        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><purge node='" + TUNE + "'/></pubsub></iq>");
        assertThat(notifications(romeo.stanzas())).singleElement()
                .satisfies(m -> assertThat(m.element(QName.get("event", EVENT)).element(QName.get("purge", EVENT))).isNotNull());
        assertThat(titles(iq(juliet, items(JULIET, TUNE, "/>")))).isEmpty();

        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><delete node='" + TUNE + "'/></pubsub></iq>");
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.element(QName.get("event", EVENT))
                .element(QName.get("delete", EVENT)).attributeValue("node")).isEqualTo(TUNE));
        assertThat(error(iq(juliet, items(JULIET, TUNE, "/>")))).isEqualTo("item-not-found");
    }

    @Test
    void theOwnerReadsAndChangesTheConfigurationAndTheDefaults_xep0060_8_2_and_8_3() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));

        assertThat(configValue(juliet, TUNE, "pubsub#access_model")).isEqualTo("presence");
        Element set = iq(juliet, configure(TUNE, field("pubsub#access_model", "open") + field("pubsub#max_items", "3")));
        assertThat(set.attributeValue("type")).as(set.asXML()).isEqualTo("result");
        assertThat(configValue(juliet, TUNE, "pubsub#access_model")).isEqualTo("open");
        assertThat(error(iq(juliet, configure(TUNE, field("pubsub#access_model", "sometimes"))))).isEqualTo("not-acceptable");

        Element defaults = iq(juliet, "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><default/></pubsub></iq>");
        assertThat(defaults.element(QName.get("pubsub", OWNER)).element(QName.get("default", OWNER))
                .element(QName.get("x", "jabber:x:data")).elements()).extracting(f -> f.attributeValue("var"))
                .contains("FORM_TYPE", "pubsub#access_model", "pubsub#max_items", "pubsub#send_last_published_item");
    }

    @Test
    void discoItemsListTheNodesTheRequesterMaySee_xep0163_6_2() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));
        iq(juliet, publish("urn:example:public", tune("p1", "y"), field("pubsub#access_model", "open")));

        String query = "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>";
        assertThat(iq(nurse, query).element("query").elements()).extracting(i -> i.attributeValue("node"))
                .containsExactly("urn:example:public");
        assertThat(iq(romeo, query).element("query").elements()).extracting(i -> i.attributeValue("node"))
                .containsExactlyInAnyOrder(TUNE, "urn:example:public");
        Element info = iq(nurse, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='" + DISCO_INFO
                + "' node='urn:example:public'/></iq>").element("query");
        assertThat(info.element("identity").attributeValue("type")).isEqualTo("leaf");
    }

    /**
     * A lookup the blocking pool cannot take (disco, or any request to a module) is answered with
     * a temporary error (RFC 6120 §8.3.3.18, {@code resource-constraint}, type {@code wait}), not
     * left without an answer (§8.2.3: an IQ request gets exactly one response).
     */
    @Test
    void aRequestThePoolCannotTakeGetsATemporaryError_rfc6120_8_3_3_18() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));
        pool.refuseNext(1);
        Element items = iq(romeo, "<iq type='get' id='q' to='" + JULIET
                + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        pool.refuseNext(1);
        Element info = iq(romeo, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='" + DISCO_INFO
                + "' node='" + TUNE + "'/></iq>");

        // A PubSub request (an IQ handler of the module, as every module's are) is answered so too.
        pool.refuseNext(1);
        Element retrieve = iq(romeo, "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><items node='" + TUNE + "'/></pubsub></iq>");

        for (Element answer : List.of(items, info, retrieve)) {
            assertThat(answer.attributeValue("type")).isEqualTo("error");
            assertThat(answer.element("error").attributeValue("type")).isEqualTo("wait");
            assertThat(answer.element("error").element("resource-constraint")).isNotNull();
        }
        assertThat(iq(romeo, "<iq type='get' id='q' to='" + JULIET
                + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>").attributeValue("type"))
                .isEqualTo("result");
    }

    @Test
    void limitsAreRefusedWithTheirErrors_xep0060_7_1_3_6_and_max_nodes() throws Exception {
        start(c -> c.with(PepModule.MAX_PAYLOAD_SIZE, 100).with(PepModule.MAX_NODES, 1));

        assertThat(error(iq(juliet, publish(TUNE, tune("t", "x".repeat(200)), "")))).isEqualTo("not-acceptable payload-too-big");
        iq(juliet, publish(TUNE, tune("t", "x"), ""));
        assertThat(error(iq(juliet, publish("urn:example:second", tune("t", "x"), ""))))
                .isEqualTo("not-allowed max-nodes-exceeded");
    }

    @Test
    void theNodesGoWithTheAccount() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));

        server.accounts().delete(JidCreate.entityBareFrom(JULIET));
        server.user(JULIET);
        TestClient again = online(JULIET, "again");

        assertThat(error(iq(again, items(JULIET, TUNE, "/>")))).isEqualTo("item-not-found");
    }
}
