package im.parley.server.modules.presence;

import static im.parley.server.modules.roster.RosterScript.befriend;
import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.presences;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resource's own presence (RFC 6121 §4): initial, probes, updates, unavailable, directed. */
class PresenceBroadcastTest {

    private static final String ROMEO = "romeo@parley.test";
    private static final String JULIET = "juliet@parley.test";
    private static final String NURSE = "nurse@parley.test";

    @TempDir
    Path dir;
    private TestServer server;
    /** Runs blocking work inline, or refuses it as a full pool would. */
    private final InlinePool pool = new InlinePool();
    private TestClient romeo;
    private TestClient juliet;
    private TestClient nurse;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir),
                Clock.systemDefaultZone(), ModuleCatalog.discover(), pool);
        server.user(ROMEO).user(JULIET).user(NURSE);
        romeo = online(ROMEO, "orchard");
        juliet = online(JULIET, "balcony");
        nurse = online(NURSE, "kitchen");
        befriend(romeo, juliet);
        nurse.stanzas();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void initialPresenceReachesSubscribersAndProbesShowTheContactsPresence() {
        send(juliet, "<presence><show>away</show><status>on the balcony</status></presence>");
        romeo.drop();
        juliet.stanzas();

        TestClient romeoAgain = server.login(ROMEO, "garden");
        fetchRosterAndGoOnline(romeoAgain);

        // §4.3.1, §4.3.2: the server probed Juliet and answered with her last presence.
        List<Element> romeoGot = presences(romeoAgain.stanzas(), null);
        assertThat(romeoGot).anySatisfy(p -> {
            assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony");
            assertThat(p.elementText("status")).isEqualTo("on the balcony");
        });
        // §4.2.2: the user's own resources get it too, the sender included.
        assertThat(romeoGot).anySatisfy(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/garden"));
        // §4.2.2: subscribers get the initial presence; probes never reach clients (§4.3.2).
        List<Element> julietGot = juliet.stanzas();
        assertThat(presences(julietGot, null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/garden"));
        assertThat(presences(julietGot, "probe")).isEmpty();
        assertThat(presences(romeoAgain.stanzas(), "probe")).isEmpty();
    }

    @Test
    void presenceUpdatesReachSubscribersAndOwnResourcesButNobodyElse() {
        TestClient romeoSecond = online(ROMEO, "study");
        juliet.stanzas();
        romeo.stanzas();

        send(romeo, "<presence><show>dnd</show></presence>");

        // §4.4.2: contacts with "from" or "both", and the user's available resources.
        assertThat(presences(juliet.stanzas(), null)).singleElement()
                .satisfies(p -> assertThat(p.elementText("show")).isEqualTo("dnd"));
        assertThat(presences(romeoSecond.stanzas(), null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
        // No subscription, no presence (§4.4.2 lists only subscribers).
        assertThat(nurse.stanzas()).isEmpty();
    }

    @Test
    void aNewResourceLearnsThePresenceOfTheUsersOtherResources() {
        TestClient romeoSecond = server.login(ROMEO, "study");
        send(romeoSecond, "<presence/>");

        // §4.2.2: the new resource gets the presence of the other available resource.
        assertThat(presences(romeoSecond.stanzas(), null))
                .anySatisfy(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
    }

    @Test
    void unavailablePresenceIsBroadcastWhenTheClientSendsIt() {
        send(romeo, "<presence type='unavailable'><status>gone</status></presence>");

        // §4.5.2
        assertThat(presences(juliet.stanzas(), "unavailable")).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard");
            assertThat(p.elementText("status")).isEqualTo("gone");
        });
        assertThat(nurse.stanzas()).isEmpty();
    }

    @Test
    void aDroppedConnectionBroadcastsUnavailable() {
        romeo.drop();

        // §4.5.2: the session ended without unavailable presence; the server sends it.
        assertThat(presences(juliet.stanzas(), "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
        assertThat(nurse.stanzas()).isEmpty();
    }

    @Test
    void directedPresenceRecipientsGetUnavailableAtLogout() {
        // §4.6.2: directed presence to a non-contact is routed as addressed.
        send(romeo, "<presence to='nurse@parley.test/kitchen'><status>a word</status></presence>");
        assertThat(presences(nurse.stanzas(), null)).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));

        romeo.drop();

        // §4.6.3: the entity that got directed presence gets the unavailable presence too.
        assertThat(presences(nurse.stanzas(), "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(ROMEO + "/orchard"));
    }

    @Test
    void directedUnavailableEndsTheTracking() {
        send(romeo, "<presence to='nurse@parley.test/kitchen'/>");
        send(romeo, "<presence to='nurse@parley.test/kitchen' type='unavailable'/>");
        assertThat(presences(nurse.stanzas())).hasSize(2);

        send(romeo, "<presence type='unavailable'/>");

        // §4.6.3: the entity already had directed unavailable presence; no second one.
        assertThat(nurse.stanzas()).isEmpty();
    }

    /**
     * §4.6.2, §4.6.3: the presence module reports the entities a resource sent directed presence
     * to ({@code session/directed-presence}, which a cluster shares) only when that set changes:
     * presence sent again to the same entity (as a client does to a room at every status change)
     * reports nothing.
     */
    @Test
    void directedPresenceRecipientsAreReportedOnlyWhenTheyChange() {
        List<Set<String>> reported = new CopyOnWriteArrayList<>();
        server.events().hook(SessionEvents.DIRECTED_PRESENCE, 0, directed -> {
            reported.add(directed.recipients().stream().map(Object::toString).collect(Collectors.toSet()));
            return Verdict.PASS;
        });

        send(romeo, "<presence to='nurse@parley.test/kitchen'/>");
        send(romeo, "<presence to='nurse@parley.test/kitchen'><show>away</show></presence>");
        send(romeo, "<presence to='nurse@parley.test/kitchen' type='unavailable'/>");
        send(romeo, "<presence to='nurse@parley.test/kitchen' type='unavailable'/>");

        assertThat(presences(nurse.stanzas())).hasSize(4);
        assertThat(reported).containsExactly(Set.of(NURSE + "/kitchen"), Set.of());
    }

    @Test
    void bareJidMessagesStillGoToTheHighestPriorityResource() {
        TestClient romeoSecond = online(ROMEO, "study");
        send(romeoSecond, "<presence><priority>5</priority></presence>");
        romeo.stanzas();
        romeoSecond.stanzas();

        send(juliet, "<message to='romeo@parley.test' type='chat'><body>hi</body></message>");

        // RFC 6121 §8.5.2.1.1: priority is kept by the router while presence is handled here.
        assertThat(romeoSecond.stanzas()).singleElement()
                .satisfies(m -> assertThat(m.elementText("body")).isEqualTo("hi"));
        assertThat(romeo.stanzas()).isEmpty();
    }

    @Test
    void probesFromNonSubscribersRevealNothing() {
        send(nurse, "<presence to='romeo@parley.test' type='probe'/>");

        // §4.3.2: no subscription, no presence. Romeo's server answers "unsubscribed", which the
        // nurse's server ignores as she had nothing pending (A.3.4); the probe never reaches Romeo.
        assertThat(nurse.stanzas()).isEmpty();
        assertThat(romeo.stanzas()).isEmpty();
    }

    /**
     * A broadcast has nobody to send it again, so a roster read the blocking pool refuses (its
     * queue full: a moment's overload) is handed over again after a pause
     * ({@code PresenceBroadcaster.READ_ATTEMPTS}; this test server's pauses are none): the
     * contacts still get the presence (RFC 6121 §4.2.2, §4.4.2), as they do the unavailable
     * presence of a session that ends (§4.5.2), and probes are still answered (§4.3.2).
     */
    @Test
    void aRosterReadThePoolRefusesForAMomentIsTriedAgain() {
        // Three refusals, fewer than the attempts (the avatar module's photo read may take one).
        pool.refuseNext(3);
        send(juliet, "<presence><show>away</show></presence>");

        assertThat(presences(romeo.stanzas(), null)).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony");
            assertThat(p.elementText("show")).isEqualTo("away");
        });
        assertThat(presences(juliet.stanzas(), "error")).isEmpty();

        pool.refuseNext(3);
        juliet.drop();
        assertThat(presences(romeo.stanzas(), "unavailable")).singleElement()
                .satisfies(p -> assertThat(p.attributeValue("from")).isEqualTo(JULIET + "/balcony"));

        pool.refuseNext(3);
        send(romeo, "<presence to='juliet@parley.test' type='probe'/>");
        assertThat(presences(romeo.stanzas(), "unsubscribed")).isEmpty();
    }

    /**
     * A client's available presence the server still cannot broadcast after every attempt is not
     * dropped without a word: the client gets a presence error, {@code resource-constraint} of
     * type {@code wait} (RFC 6120 §8.3, §8.3.3.18), and may send its presence again.
     */
    @Test
    void aPresenceThePoolKeepsRefusingBouncesWithATemporaryError() {
        pool.refuseNext(Integer.MAX_VALUE);
        send(juliet, "<presence id='p1'><show>away</show></presence>");

        assertThat(presences(juliet.stanzas(), "error")).singleElement().satisfies(error -> {
            assertThat(error.attributeValue("id")).isEqualTo("p1");
            assertThat(error.attributeValue("to")).isEqualTo(JULIET + "/balcony");
            assertThat(error.element("error").attributeValue("type")).isEqualTo("wait");
            assertThat(error.element("error").elements()).extracting(Element::getName).contains("resource-constraint");
        });
        assertThat(romeo.stanzas()).isEmpty();

        pool.refuseNext(0);
        send(juliet, "<presence id='p2'><show>away</show></presence>");
        assertThat(presences(romeo.stanzas(), null)).singleElement()
                .satisfies(p -> assertThat(p.elementText("show")).isEqualTo("away"));
    }

    private TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }
}
