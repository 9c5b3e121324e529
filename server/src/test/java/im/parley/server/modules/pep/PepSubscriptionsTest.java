package im.parley.server.modules.pep;

import static im.parley.server.modules.pep.PepWorld.JULIET;
import static im.parley.server.modules.pep.PepWorld.NURSE;
import static im.parley.server.modules.pep.PepWorld.ROMEO;
import static im.parley.server.modules.pep.PepScript.answerCapsQueries;
import static im.parley.server.modules.pep.PepScript.capsPresence;
import static im.parley.server.modules.pep.PepScript.discoQuery;
import static im.parley.server.modules.pep.PepScript.error;
import static im.parley.server.modules.pep.PepScript.field;
import static im.parley.server.modules.pep.PepScript.iq;
import static im.parley.server.modules.pep.PepScript.notifications;
import static im.parley.server.modules.pep.PepScript.publish;
import static im.parley.server.modules.pep.PepScript.tune;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Explicit subscriptions to PEP nodes (XEP-0163 §5: a PEP service supports subscribe and
 * unsubscribe) as XEP-0060 defines them, end to end on a test server: Juliet owns the nodes,
 * Romeo is her contact (mutual presence subscription), the Nurse knows nobody. Each test names
 * the sections it proves.
 */
class PepSubscriptionsTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = PUBSUB + "#owner";
    private static final String EVENT = PUBSUB + "#event";
    private static final String ERRORS = PUBSUB + "#errors";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private static final String MOOD = "http://jabber.org/protocol/mood";
    private static final String ADDRESS = "http://jabber.org/protocol/address";
    private static final String OPEN = field("pubsub#access_model", "open");

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private PepWorld world;
    private TestClient juliet;
    private TestClient romeo;
    private TestClient nurse;

    private void start(UnaryOperator<ParleyConfig> config) throws Exception {
        world = new PepWorld(dir, clock, new InlinePool(), config);
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


    private static String subscribe(String node, String jid) {
        return "<iq type='set' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><subscribe node='" + node
                + "' jid='" + jid + "'/></pubsub></iq>";
    }

    private static String unsubscribe(String node, String jid) {
        return "<iq type='set' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><unsubscribe node='" + node
                + "' jid='" + jid + "'/></pubsub></iq>";
    }

    private static String eventItemId(Element message) {
        return message.element(QName.get("event", EVENT)).element(QName.get("items", EVENT))
                .element(QName.get("item", EVENT)).attributeValue("id");
    }

    private static List<String> entries(Element answer, String namespace, String list, String... attributes) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer.element(QName.get("pubsub", namespace)).element(QName.get(list, namespace)).elements().stream()
                .map(e -> String.join(" ", Arrays.stream(attributes).map(a -> e.attributeValue(a, "-")).toList()))
                .toList();
    }

    @Test
    void anyoneSubscribesToAnOpenNodeAndGetsTheLastItemAfterTheAnswerThenEachNewOne_xep0060_6_1_2_and_6_1_7() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "first"), OPEN));
        world.quiet();

        send(nurse, subscribe(TUNE, NURSE));
        List<Element> got = nurse.stanzas();

        assertThat(got).as("the answer, then the last item").hasSize(2);
        Element answer = got.get(0);
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        Element subscription = answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB));
        assertThat(subscription.attributeValue("node")).isEqualTo(TUNE);
        assertThat(subscription.attributeValue("jid")).isEqualTo(NURSE);
        assertThat(subscription.attributeValue("subscription")).isEqualTo("subscribed");
        Element last = got.get(1);
        assertThat(last.attributeValue("from")).isEqualTo(JULIET);
        assertThat(eventItemId(last)).isEqualTo("t1");
        assertThat(last.element(QName.get("delay", "urn:xmpp:delay"))).as("§6.1.7: delayed delivery").isNotNull();

        iq(juliet, publish(TUNE, tune("t2", "second"), ""));
        // XEP-0163 §4.3.2 rule 2: the service has no presence of the Nurse, so one notification to her bare JID.
        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> {
            assertThat(m.attributeValue("to")).isEqualTo(NURSE);
            assertThat(eventItemId(m)).isEqualTo("t2");
        });

        Element again = iq(nurse, subscribe(TUNE, NURSE));
        assertThat(again.attributeValue("type")).as("§6.1.6: the current subscription again").isEqualTo("result");
        assertThat(notifications(nurse.stanzas())).as("no second last item").isEmpty();
    }

    @Test
    void aSubscriptionIsRefusedAsTheAccessModelSays_xep0060_6_1_3() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));
        iq(juliet, publish(MOOD, "<item><mood xmlns='" + MOOD + "'><happy/></mood></item>",
                field("pubsub#access_model", "whitelist")));

        assertThat(error(iq(nurse, subscribe(TUNE, ROMEO)))).as("§6.1.3.1").isEqualTo("bad-request invalid-jid");
        assertThat(error(iq(nurse, subscribe(TUNE, NURSE)))).as("§6.1.3.2")
                .isEqualTo("not-authorized presence-subscription-required");
        assertThat(error(iq(nurse, subscribe(MOOD, NURSE)))).as("§6.1.3.4").isEqualTo("not-allowed closed-node");
        assertThat(error(iq(nurse, subscribe("urn:nothing", NURSE)))).as("§6.1.3.12").isEqualTo("item-not-found");
        assertThat(error(iq(nurse, "<iq type='set' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><subscribe node='" + TUNE + "'/></pubsub></iq>"))).isEqualTo("bad-request jid-required");
        assertThat(iq(romeo, subscribe(TUNE, ROMEO)).attributeValue("type")).as("a contact may").isEqualTo("result");

        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><affiliations node='" + MOOD + "'>"
                + "<affiliation jid='" + NURSE + "' affiliation='member'/></affiliations></pubsub></iq>");
        assertThat(iq(nurse, subscribe(MOOD, NURSE)).attributeValue("type")).as("on the whitelist").isEqualTo("result");
        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><affiliations node='" + MOOD + "'>"
                + "<affiliation jid='" + NURSE + "' affiliation='outcast'/></affiliations></pubsub></iq>");
        assertThat(error(iq(nurse, unsubscribe(MOOD, NURSE)))).as("§4.1: an outcast's subscription ended")
                .isEqualTo("unexpected-request not-subscribed");
        assertThat(error(iq(nurse, subscribe(MOOD, NURSE)))).as("§6.1.3.8").isEqualTo("forbidden");
    }

    @Test
    void aSubscriberLosesItsNotificationsWithItsAccess_xep0163_4() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), ""));
        iq(romeo, subscribe(TUNE, ROMEO));
        world.quiet();

        send(juliet, "<presence type='unsubscribed' to='" + ROMEO + "'/>");
        world.quiet();
        iq(juliet, publish(TUNE, tune("t2", "y"), ""));

        assertThat(notifications(romeo.stanzas())).as("no presence subscription any more").isEmpty();
    }

    @Test
    void aFullJidGetsOneNotificationAndABareJidWithInterestedResourcesNoSecond_xep0163_4_3_2() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        answerCapsQueries(romeo, wantsTunes);
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(romeo, subscribe(TUNE, ROMEO));
        iq(nurse, subscribe(TUNE, NURSE + "/kitchen"));
        TestClient nursePhone = world.online(NURSE, "phone");
        world.quiet();

        iq(juliet, publish(TUNE, tune("t2", "y"), ""));

        assertThat(notifications(romeo.stanzas())).as("rule 3: at the resource that wants it, once")
                .singleElement().satisfies(m -> assertThat(m.attributeValue("to")).isEqualTo(ROMEO + "/orchard"));
        assertThat(notifications(nurse.stanzas())).as("rule 1: at the subscribed full JID")
                .singleElement().satisfies(m -> assertThat(m.attributeValue("to")).isEqualTo(NURSE + "/kitchen"));
        assertThat(notifications(nursePhone.stanzas())).isEmpty();
    }

    @Test
    void theNotificationNamesThePublishingResourceOnlyToThoseWhoShareThePresence_xep0163_4_3_1_rule_3() throws Exception {
        start();
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        answerCapsQueries(romeo, wantsTunes);
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));
        world.quiet();

        iq(juliet, publish(TUNE, tune("t2", "y"), ""));

        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> {
            Element address = m.element(QName.get("addresses", ADDRESS)).element(QName.get("address", ADDRESS));
            assertThat(address.attributeValue("type")).isEqualTo("replyto");
            assertThat(address.attributeValue("jid")).isEqualTo(JULIET + "/balcony");
        });
        assertThat(notifications(nurse.stanzas())).as("no presence subscription: MUST NOT").singleElement()
                .satisfies(m -> assertThat(m.element(QName.get("addresses", ADDRESS))).isNull());
    }

    @Test
    void unsubscribeEndsTheNotificationsAndItsErrorsAreThoseOfTheXep_xep0060_6_2() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));
        iq(romeo, subscribe(TUNE, ROMEO));

        assertThat(error(iq(nurse, unsubscribe(TUNE, ROMEO)))).as("§6.2.3.3").isEqualTo("forbidden");
        assertThat(error(iq(nurse, unsubscribe("urn:nothing", NURSE)))).as("§6.2.3.4").isEqualTo("item-not-found");
        Element done = iq(nurse, unsubscribe(TUNE, NURSE));
        assertThat(done.attributeValue("type")).as("§6.2.2").isEqualTo("result");
        Element twice = iq(nurse, unsubscribe(TUNE, NURSE));
        assertThat(error(twice)).as("§6.2.3.2").isEqualTo("unexpected-request not-subscribed");
        assertThat(twice.element("error").attributeValue("type")).isEqualTo("cancel");
        world.quiet();

        iq(juliet, publish(TUNE, tune("t2", "y"), ""));

        assertThat(notifications(nurse.stanzas())).isEmpty();
        assertThat(notifications(romeo.stanzas())).as("Romeo is still subscribed").hasSize(1);
    }

    @Test
    void anEntityReadsItsOwnSubscriptionsAndAffiliations_xep0060_5_6_and_5_7() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(juliet, publish(MOOD, "<item><mood xmlns='" + MOOD + "'><happy/></mood></item>", OPEN));
        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><affiliations node='" + MOOD + "'>"
                + "<affiliation jid='" + NURSE + "' affiliation='member'/></affiliations></pubsub></iq>");
        iq(nurse, subscribe(TUNE, NURSE));
        iq(nurse, subscribe(MOOD, NURSE + "/kitchen"));
        iq(romeo, subscribe(TUNE, ROMEO));

        String mine = "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><subscriptions/></pubsub></iq>";
        assertThat(entries(iq(nurse, mine), PUBSUB, "subscriptions", "node", "jid", "subscription")).containsExactly(
                MOOD + " " + NURSE + "/kitchen subscribed", TUNE + " " + NURSE + " subscribed");
        assertThat(entries(iq(nurse, mine.replace("<subscriptions/>", "<subscriptions node='" + TUNE + "'/>")), PUBSUB,
                "subscriptions", "node", "jid")).containsExactly(TUNE + " " + NURSE);

        String affiliations = "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><affiliations/></pubsub></iq>";
        assertThat(entries(iq(nurse, affiliations), PUBSUB, "affiliations", "node", "affiliation"))
                .containsExactly(MOOD + " member");
        assertThat(entries(iq(romeo, affiliations), PUBSUB, "affiliations", "node", "affiliation")).isEmpty();
        assertThat(entries(iq(juliet, affiliations), PUBSUB, "affiliations", "node", "affiliation"))
                .containsExactly(MOOD + " owner", TUNE + " owner");
    }

    @Test
    void theOwnerListsAndChangesANodesSubscriptionsAndTheEntityIsTold_xep0060_8_8() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));
        world.quiet();
        String list = "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><subscriptions node='" + TUNE + "'/></pubsub></iq>";

        assertThat(entries(iq(juliet, list), OWNER, "subscriptions", "jid", "subscription"))
                .containsExactly(NURSE + " subscribed");
        assertThat(error(iq(nurse, list.replace("type='get' id='q'", "type='get' id='q' to='" + JULIET + "'"))))
                .as("§8.8.1.3.2").isEqualTo("forbidden");

        Element changed = iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><subscriptions node='" + TUNE + "'>"
                + "<subscription jid='" + NURSE + "' subscription='none'/>"
                + "<subscription jid='" + ROMEO + "' subscription='subscribed'/>"
                + "<subscription jid='" + ROMEO + "/orchard' subscription='pending'/>"
                + "</subscriptions></pubsub></iq>");

        assertThat(error(changed)).as("§8.8.2.4: the entry not applied").isEqualTo("not-acceptable");
        assertThat(changed.element(QName.get("pubsub", OWNER)).element(QName.get("subscriptions", OWNER)).elements())
                .singleElement().satisfies(e -> {
                    assertThat(e.attributeValue("jid")).isEqualTo(ROMEO + "/orchard");
                    assertThat(e.attributeValue("subscription")).isEqualTo("none");
                });
        assertThat(entries(iq(juliet, list), OWNER, "subscriptions", "jid")).as("the others applied").containsExactly(ROMEO);
        assertThat(notifications(nurse.stanzas())).as("§8.8.4").singleElement().satisfies(m -> {
            Element state = m.element(QName.get("event", EVENT)).element(QName.get("subscription", EVENT));
            assertThat(state.attributeValue("node")).isEqualTo(TUNE);
            assertThat(state.attributeValue("subscription")).isEqualTo("none");
        });
        assertThat(notifications(romeo.stanzas())).singleElement().satisfies(m -> assertThat(m.element(QName.get("event", EVENT))
                .element(QName.get("subscription", EVENT)).attributeValue("subscription")).isEqualTo("subscribed"));
    }

    private static String options(String type, String jid, String form) {
        return "<iq type='" + type + "' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><options node='" + TUNE
                + "' jid='" + jid + "'" + (form == null ? "/>" : ">" + form + "</options>") + "</pubsub></iq>";
    }

    private static String optionsForm(String fields) {
        return "<x xmlns='jabber:x:data' type='submit'>" + field("FORM_TYPE", PUBSUB + "#subscribe_options") + fields + "</x>";
    }

    private static List<String> optionValues(Element answer, String child) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer.element(QName.get("pubsub", PUBSUB)).element(QName.get(child, PUBSUB)).element(QName.get("x", "jabber:x:data"))
                .elements().stream().filter(f -> !"FORM_TYPE".equals(f.attributeValue("var")))
                .map(f -> f.attributeValue("var") + "=" + f.elementText("value")).toList();
    }

    @Test
    void aSubscriberReadsAndChangesItsOptions_xep0060_6_3_and_6_4() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        Element subscribed = iq(nurse, subscribe(TUNE, NURSE));
        assertThat(subscribed.element(QName.get("pubsub", PUBSUB)).element(QName.get("subscription", PUBSUB))
                .element(QName.get("subscribe-options", PUBSUB))).as("§6.1.5: offered, not required").isNotNull();
        world.quiet();

        assertThat(optionValues(iq(nurse, options("get", NURSE, null)), "options")).as("§6.3.2")
                .containsExactly("pubsub#deliver=1", "pubsub#include_body=0");
        assertThat(error(iq(nurse, options("get", ROMEO, null)))).as("§6.3.4.1").isEqualTo("forbidden");
        assertThat(error(iq(romeo, options("get", ROMEO, null)))).as("§6.3.4.2").isEqualTo("unexpected-request not-subscribed");
        assertThat(error(iq(nurse, options("set", NURSE, optionsForm(field("pubsub#show-values", "away"))))))
                .as("§6.3.6: not offered").isEqualTo("bad-request invalid-options");

        assertThat(iq(nurse, options("set", NURSE, optionsForm(field("pubsub#deliver", "0")))).attributeValue("type"))
                .isEqualTo("result");
        iq(juliet, publish(TUNE, tune("t2", "unheard"), ""));
        assertThat(notifications(nurse.stanzas())).as("delivery off").isEmpty();

        iq(nurse, options("set", NURSE, optionsForm(field("pubsub#deliver", "1") + field("pubsub#include_body", "true"))));
        iq(juliet, publish(TUNE, tune("t3", "Heard"), ""));
        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> {
            assertThat(eventItemId(m)).isEqualTo("t3");
            assertThat(m.elementText("body")).as("include_body: the payload's text").contains("Heard");
        });

        assertThat(optionValues(iq(nurse, "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB
                + "'><default node='" + TUNE + "'/></pubsub></iq>"), "default")).as("§6.4")
                .containsExactly("pubsub#deliver=1", "pubsub#include_body=0");
    }

    @Test
    void optionsGivenWithTheSubscriptionApplyToItsLastItem_xep0060_6_3_7() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        world.quiet();

        send(nurse, subscribe(TUNE, NURSE).replace("</pubsub>", "<options>" + optionsForm(field("pubsub#deliver", "0"))
                + "</options></pubsub>"));
        List<Element> got = nurse.stanzas();
        assertThat(got).as("the answer, and no last item").hasSize(1);
        assertThat(optionValues(got.get(0), "options")).containsExactly("pubsub#deliver=0", "pubsub#include_body=0");

        // A resource that wants the node (+notify, XEP-0163 §4) gets it all the same: delivery
        // off ends what the explicit subscription brings, not the presence-based one.
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(romeo, capsPresence(wantsTunes));
        answerCapsQueries(romeo, wantsTunes);
        send(romeo, subscribe(TUNE, ROMEO).replace("</pubsub>", "<options>" + optionsForm(field("pubsub#deliver", "0"))
                + "</options></pubsub>"));
        world.quiet();
        iq(juliet, publish(TUNE, tune("t2", "y"), ""));
        assertThat(notifications(nurse.stanzas())).isEmpty();
        assertThat(notifications(romeo.stanzas())).singleElement()
                .satisfies(m -> assertThat(m.attributeValue("to")).isEqualTo(ROMEO + "/orchard"));
    }

    @Test
    void aNodeHasAtMostMaxSubscriptions_xep0060_6_1_3_9() throws Exception {
        start(c -> c.with(PepModule.MAX_SUBSCRIPTIONS, 1));
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));

        Element refused = iq(romeo, subscribe(TUNE, ROMEO));

        assertThat(error(refused)).isEqualTo("policy-violation too-many-subscriptions");
        assertThat(refused.element("error").attributeValue("type")).isEqualTo("wait");
    }

    @Test
    void deletingTheNodeTellsTheSubscribersAndEndsTheirSubscriptions_xep0060_8_4_2() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));
        world.quiet();

        iq(juliet, "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><delete node='" + TUNE + "'/></pubsub></iq>");
        assertThat(notifications(nurse.stanzas())).singleElement().satisfies(m -> assertThat(m.element(QName.get("event", EVENT))
                .element(QName.get("delete", EVENT)).attributeValue("node")).isEqualTo(TUNE));

        iq(juliet, publish(TUNE, tune("t2", "y"), OPEN));
        assertThat(notifications(nurse.stanzas())).as("a new node has no subscribers").isEmpty();
    }

    @Test
    void aDeletedAccountsSubscriptionsGoWithIt() throws Exception {
        start();
        iq(juliet, publish(TUNE, tune("t1", "x"), OPEN));
        iq(nurse, subscribe(TUNE, NURSE));
        iq(nurse, subscribe(TUNE, NURSE + "/kitchen"));

        world.server.accounts().delete(JidCreate.entityBareFrom(NURSE));

        assertThat(entries(iq(juliet, "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><subscriptions node='" + TUNE
                + "'/></pubsub></iq>"), OWNER, "subscriptions", "jid")).isEmpty();
    }

    @Test
    void theServiceAnnouncesWhatItOffers_xep0060_10() throws Exception {
        start();

        Element query = iq(juliet, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='"
                + "http://jabber.org/protocol/disco#info'/></iq>").element(QName.get("query", "http://jabber.org/protocol/disco#info"));

        assertThat(query.elements("feature")).extracting(f -> f.attributeValue("var")).contains(PUBSUB + "#subscribe",
                PUBSUB + "#retrieve-subscriptions", PUBSUB + "#retrieve-affiliations", PUBSUB + "#manage-subscriptions",
                PUBSUB + "#subscription-options", PUBSUB + "#retrieve-default-sub");
    }
}
