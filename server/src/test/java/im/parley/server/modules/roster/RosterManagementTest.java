package im.parley.server.modules.roster;

import static im.parley.server.modules.roster.RosterScript.ROSTER_GET;
import static im.parley.server.modules.roster.RosterScript.errorCondition;
import static im.parley.server.modules.roster.RosterScript.presences;
import static im.parley.server.modules.roster.RosterScript.pushedItems;
import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Roster management (RFC 6121 §2): get, set, remove, pushes and versioning. */
class RosterManagementTest {

    private static final String ROMEO = "romeo@parley.test";
    private static final String JULIET = "juliet@parley.test";

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user(ROMEO).user(JULIET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEmptyRosterHasAVersion() {
        TestClient romeo = server.login(ROMEO, "orchard");

        send(romeo, ROSTER_GET);

        // §2.1.3, §2.6.3: the result carries the roster and its version.
        Element query = response(romeo.stanzas(), "roster").element("query");
        assertThat(query.elements()).isEmpty();
        assertThat(query.attributeValue("ver")).isNotEmpty();
    }

    /**
     * §2.1.2: a resource that requested the roster is an interested resource; the roster module
     * says so once per session ({@code session/roster-requested}, which a cluster shares so that
     * other nodes push to it too), not at every roster get.
     */
    @Test
    void aSessionIsReportedInterestedOnceAtItsFirstRosterGet() {
        List<String> reported = new CopyOnWriteArrayList<>();
        server.events().hook(SessionEvents.ROSTER_REQUESTED, 0, session -> {
            reported.add(session.jid().toString());
            return Verdict.PASS;
        });
        TestClient romeo = server.login(ROMEO, "orchard");
        TestClient romeoOther = server.login(ROMEO, "study");

        send(romeo, ROSTER_GET);
        send(romeo, ROSTER_GET);
        send(romeoOther, ROSTER_GET);

        assertThat(romeo.stanzas()).hasSize(2);
        assertThat(romeoOther.stanzas()).hasSize(1);
        assertThat(reported).containsExactlyInAnyOrder(ROMEO + "/orchard", ROMEO + "/study");
    }

    @Test
    void addingAnItemPushesItToInterestedResourcesOnly() {
        TestClient romeo = server.login(ROMEO, "orchard");
        TestClient romeoOther = server.login(ROMEO, "study");
        TestClient romeoUninterested = server.login(ROMEO, "hall");
        send(romeo, ROSTER_GET);
        send(romeoOther, ROSTER_GET);
        romeo.stanzas();
        romeoOther.stanzas();

        send(romeo, "<iq type='set' id='add'><query xmlns='jabber:iq:roster'><item jid='juliet@parley.test'"
                + " name='Juliet'><group>Capulets</group><group>Friends</group></item></query></iq>");

        // §2.3.2: result to the sender, push to every interested resource, the sender included.
        List<Element> got = romeo.stanzas();
        assertThat(response(got, "add").attributeValue("type")).isEqualTo("result");
        for (List<Element> stanzas : List.of(got, romeoOther.stanzas())) {
            assertThat(pushedItems(stanzas)).singleElement().satisfies(item -> {
                assertThat(item.attributeValue("jid")).isEqualTo(JULIET);
                assertThat(item.attributeValue("name")).isEqualTo("Juliet");
                assertThat(item.attributeValue("subscription")).isEqualTo("none");
                assertThat(item.elements("group")).extracting(Element::getText).containsExactly("Capulets", "Friends");
            });
        }
        // §2.2: a resource that never asked for the roster gets no push.
        assertThat(romeoUninterested.stanzas()).isEmpty();
    }

    @Test
    void updatingAnItemKeepsItsSubscription() {
        TestClient romeo = server.login(ROMEO, "orchard");
        send(romeo, ROSTER_GET);
        send(romeo, "<presence/>");
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'/>");
        romeo.stanzas();

        send(romeo, "<iq type='set' id='upd'><query xmlns='jabber:iq:roster'><item jid='juliet@parley.test'"
                + " name='J' subscription='both'/></query></iq>");

        // §2.4.2: name and groups change; the state does not (and §2.1.2.5: "both" is ignored).
        assertThat(pushedItems(romeo.stanzas())).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("name")).isEqualTo("J");
            assertThat(item.attributeValue("subscription")).isEqualTo("none");
            assertThat(item.attributeValue("ask")).isEqualTo("subscribe");
        });
    }

    @Test
    void rosterVersioningAnswersAnUpToDateClientWithAnEmptyResult() {
        TestClient romeo = server.login(ROMEO, "orchard");
        send(romeo, ROSTER_GET);
        send(romeo, "<iq type='set' id='add'><query xmlns='jabber:iq:roster'><item jid='juliet@parley.test'/>"
                + "</query></iq>");
        String version = pushedItems(romeo.stanzas()).get(0).getParent().attributeValue("ver");

        // §2.6.3: the client's version is current: an empty result, changes come as pushes.
        send(romeo, "<iq type='get' id='current'><query xmlns='jabber:iq:roster' ver='" + version + "'/></iq>");
        assertThat(response(romeo.stanzas(), "current").elements()).isEmpty();

        // §2.6.3: an older version (or none, ver='') gets the whole roster with the new version.
        send(romeo, "<iq type='get' id='stale'><query xmlns='jabber:iq:roster' ver=''/></iq>");
        Element query = response(romeo.stanzas(), "stale").element("query");
        assertThat(query.attributeValue("ver")).isEqualTo(version);
        assertThat(query.elements("item")).extracting(i -> i.attributeValue("jid")).containsExactly(JULIET);
    }

    @Test
    void everyChangeRaisesTheVersion() {
        TestClient romeo = server.login(ROMEO, "orchard");
        send(romeo, ROSTER_GET);
        String before = response(romeo.stanzas(), "roster").element("query").attributeValue("ver");

        send(romeo, "<iq type='set' id='a'><query xmlns='jabber:iq:roster'><item jid='a@parley.test'/></query></iq>");
        send(romeo, "<iq type='set' id='b'><query xmlns='jabber:iq:roster'><item jid='b@parley.test'/></query></iq>");

        // §2.6.2: each push carries a new version.
        List<String> versions = pushedItems(romeo.stanzas()).stream()
                .map(i -> i.getParent().attributeValue("ver")).toList();
        assertThat(versions).hasSize(2).doesNotContain(before).doesNotHaveDuplicates();
    }

    @Test
    void removingAnItemPushesRemoveAndCancelsTheSubscriptions() {
        TestClient romeo = online(ROMEO, "orchard");
        TestClient juliet = online(JULIET, "balcony");
        send(romeo, "<presence to='juliet@parley.test' type='subscribe'/>");
        send(juliet, "<presence to='romeo@parley.test' type='subscribed'/>");
        send(juliet, "<presence to='romeo@parley.test' type='subscribe'/>");
        send(romeo, "<presence to='juliet@parley.test' type='subscribed'/>");
        romeo.stanzas();
        juliet.stanzas();

        send(romeo, "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'><item jid='juliet@parley.test'"
                + " subscription='remove'/></query></iq>");

        // §2.5.2: push with subscription='remove', result.
        List<Element> romeoGot = romeo.stanzas();
        assertThat(response(romeoGot, "rm").attributeValue("type")).isEqualTo("result");
        assertThat(pushedItems(romeoGot)).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("remove"));
        // §2.5.2: the contact gets unsubscribe and unsubscribed, and Romeo's unavailable presence.
        List<Element> julietGot = juliet.stanzas();
        assertThat(presences(julietGot, "unsubscribe")).hasSize(1);
        assertThat(presences(julietGot, "unsubscribed")).hasSize(1);
        assertThat(presences(julietGot, "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
        assertThat(pushedItems(julietGot)).last()
                .satisfies(item -> assertThat(item.attributeValue("subscription")).isEqualTo("none"));

        send(romeo, ROSTER_GET);
        assertThat(response(romeo.stanzas(), "roster").element("query").elements()).isEmpty();
    }

    @Test
    void removingAnUnknownItemIsItemNotFound() {
        TestClient romeo = server.login(ROMEO, "orchard");

        send(romeo, "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'><item jid='nobody@parley.test'"
                + " subscription='remove'/></query></iq>");

        // §2.5.3
        assertThat(errorCondition(response(romeo.stanzas(), "rm"))).isEqualTo("item-not-found");
    }

    @ParameterizedTest(name = "RFC 6121 §2.3.3: {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "two items|<item jid='a@parley.test'/><item jid='b@parley.test'/>|bad-request",
        "duplicate groups|<item jid='a@parley.test'><group>G</group><group>G</group></item>|bad-request",
        "empty group|<item jid='a@parley.test'><group></group></item>|not-acceptable",
        "malformed jid|<item jid='@@'/>|jid-malformed",
        "own jid|<item jid='romeo@parley.test'/>|not-allowed",
    })
    void invalidRosterSetsAreRefused(String why, String items, String condition) {
        TestClient romeo = server.login(ROMEO, "orchard");

        send(romeo, "<iq type='set' id='bad'><query xmlns='jabber:iq:roster'>" + items + "</query></iq>");

        assertThat(errorCondition(response(romeo.stanzas(), "bad"))).isEqualTo(condition);
    }

    @Test
    void anotherUsersRosterIsForbidden() {
        TestClient romeo = server.login(ROMEO, "orchard");

        send(romeo, "<iq type='get' id='peek' to='juliet@parley.test'><query xmlns='jabber:iq:roster'/></iq>");
        send(romeo, "<iq type='set' id='poke' to='juliet@parley.test'><query xmlns='jabber:iq:roster'>"
                + "<item jid='a@parley.test'/></query></iq>");

        // §2.1.5 and §2.3.3: only the user touches the roster.
        List<Element> got = romeo.stanzas();
        assertThat(errorCondition(response(got, "peek"))).isEqualTo("forbidden");
        assertThat(errorCondition(response(got, "poke"))).isEqualTo("forbidden");
    }

    @Test
    void streamFeaturesAnnounceRosterVersioningAndPreApproval() {
        TestClient client = server.connect();
        client.send(TestClient.header("parley.test"));
        // Authenticated features are announced after SASL; the login helper consumes them, so
        // log in step by step up to the restart.
        String afterAuth = loginUpToRestart(client);

        // §2.6.1 and §3.4.1
        assertThat(afterAuth).contains("urn:xmpp:features:rosterver").contains("urn:xmpp:features:pre-approval");
    }

    private String loginUpToRestart(TestClient client) {
        im.parley.core.sasl.ScramTestClient scram = new im.parley.core.sasl.ScramTestClient(
                im.parley.core.sasl.ScramHash.SHA_256, "n,,", "romeo", "nonce1");
        String challenge = client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + java.util.Base64.getEncoder().encodeToString(scram.clientFirst()) + "</auth>");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<challenge[^>]*>([^<]+)</challenge>")
                .matcher(challenge);
        assertThat(m.find()).isTrue();
        client.send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + java.util.Base64.getEncoder()
                .encodeToString(scram.clientFinal(java.util.Base64.getDecoder().decode(m.group(1)), "secret",
                        new byte[0])) + "</response>");
        return client.send(TestClient.header("parley.test"));
    }

    private TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        RosterScript.fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }
}
