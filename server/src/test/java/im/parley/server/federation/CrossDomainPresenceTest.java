package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.SocketClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6121 across two Parley domains, a.test on 127.0.0.25 and b.test on 127.0.0.26, over real
 * s2s streams (dialback, self-signed certificates): the subscription handshake, roster entries
 * for remote contacts, presence broadcast and probes, unavailable presence on disconnect and
 * directed presence, each in both directions.
 */
class CrossDomainPresenceTest {

    private static final String IP_A = "127.0.0.25";
    private static final String IP_B = "127.0.0.26";

    @TempDir
    Path dir;

    private FederatedServer a;
    private FederatedServer b;

    @BeforeEach
    void start() throws Exception {
        int portA = FederatedServer.freePort(IP_A);
        int portB = FederatedServer.freePort(IP_B);
        a = new FederatedServer(FederatedServer.config("a.test", IP_A, portA, dir.resolve("a"), Map.of(),
                f -> f.withStaticRoutes(Map.of("b.test", IP_B + ":" + portB))), IP_A);
        b = new FederatedServer(FederatedServer.config("b.test", IP_B, portB, dir.resolve("b"), Map.of(),
                f -> f.withStaticRoutes(Map.of("a.test", IP_A + ":" + portA))), IP_B);
        a.user("alice@a.test");
        b.user("bob@b.test").user("carol@b.test");
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    /**
     * RFC 6121 §3.1 (both directions) and Appendix A: "subscribe", "subscribed", the roster
     * pushes of §3.1.2 and §3.1.6 on each server, and §3.1.5: the approval is followed by the
     * contact's current presence. Both rosters end with subscription "both".
     */
    @Test
    void subscriptionHandshakeBothWaysEndsInBoth() throws Exception {
        SocketClient alice = CrossDomainRosters.login(a, "alice@a.test", "laptop");
        SocketClient bob = CrossDomainRosters.login(b, "bob@b.test", "phone");

        subscribe(alice, "alice@a.test", bob, "bob@b.test");
        subscribe(bob, "bob@b.test", alice, "alice@a.test");

        assertThat(CrossDomainRosters.item(alice, "bob@b.test").attributeValue("subscription")).isEqualTo("both");
        assertThat(CrossDomainRosters.item(bob, "alice@a.test").attributeValue("subscription")).isEqualTo("both");
    }

    /** RFC 6121 §4.4.2 and §4.4.3: a presence update reaches the subscribed contact on the other domain, both ways. */
    @Test
    void presenceUpdatesAreSeenBothWays() throws Exception {
        SocketClient alice = CrossDomainRosters.login(a, "alice@a.test", "laptop");
        SocketClient bob = CrossDomainRosters.login(b, "bob@b.test", "phone");
        subscribeBothWays(alice, bob);

        bob.send("<presence><show>away</show><status>lunch</status></presence>");
        Element seenByAlice = alice.next(presenceFrom("bob@b.test/phone", e -> "away".equals(e.elementText("show"))));
        assertThat(seenByAlice.elementText("status")).isEqualTo("lunch");

        alice.send("<presence><show>dnd</show></presence>");
        Element seenByBob = bob.next(presenceFrom("alice@a.test/laptop", e -> "dnd".equals(e.elementText("show"))));
        assertThat(seenByBob.attributeValue("to")).startsWith("bob@b.test");
    }

    /**
     * RFC 6121 §4.3.1 and §4.3.2: initial presence probes the contacts; the contact's server
     * answers across the link with the presence of each available resource. Both ways.
     */
    @Test
    void probesOnLoginAreAnsweredAcrossTheLink() throws Exception {
        SocketClient alice = CrossDomainRosters.login(a, "alice@a.test", "laptop");
        SocketClient bob = CrossDomainRosters.login(b, "bob@b.test", "phone");
        subscribeBothWays(alice, bob);
        bob.send("<presence><show>xa</show></presence>");
        alice.next(presenceFrom("bob@b.test/phone", e -> "xa".equals(e.elementText("show"))));

        SocketClient aliceTablet = CrossDomainRosters.login(a, "alice@a.test", "tablet");
        Element answer = aliceTablet.next(presenceFrom("bob@b.test/phone", e -> true));
        assertThat(answer.elementText("show")).isEqualTo("xa");

        SocketClient bobWatch = CrossDomainRosters.login(b, "bob@b.test", "watch");
        CrossDomainRosters.receivesAll(bobWatch, presenceFrom("alice@a.test/laptop", e -> true),
                presenceFrom("alice@a.test/tablet", e -> true));
    }

    /** RFC 6121 §4.5.2: a lost connection makes the resource unavailable to its contacts on the other domain. */
    @Test
    void unavailableOnDisconnectCrossesTheLink() throws Exception {
        SocketClient alice = CrossDomainRosters.login(a, "alice@a.test", "laptop");
        SocketClient bob = CrossDomainRosters.login(b, "bob@b.test", "phone");
        subscribeBothWays(alice, bob);

        bob.close();
        alice.next(presenceFrom("bob@b.test/phone", e -> "unavailable".equals(e.attributeValue("type"))));

        SocketClient bobAgain = CrossDomainRosters.login(b, "bob@b.test", "desk");
        bobAgain.next(presenceFrom("alice@a.test/laptop", e -> e.attributeValue("type") == null));
        alice.next(presenceFrom("bob@b.test/desk", e -> e.attributeValue("type") == null));
        alice.send("<presence type='unavailable'/>");
        bobAgain.next(presenceFrom("alice@a.test/laptop", e -> "unavailable".equals(e.attributeValue("type"))));
    }

    /**
     * RFC 6121 §4.6: directed presence to an entity with no subscription is delivered across
     * domains, and §4.6.3: that entity gets unavailable presence when the sender goes offline.
     * Both ways.
     */
    @Test
    void directedPresenceBothWays() throws Exception {
        SocketClient alice = CrossDomainRosters.login(a, "alice@a.test", "laptop");
        SocketClient carol = CrossDomainRosters.login(b, "carol@b.test", "pc");

        alice.send("<presence to='carol@b.test/pc'><status>ping from a.test</status></presence>");
        Element directed = carol.next(presenceFrom("alice@a.test/laptop", e -> e.attributeValue("type") == null));
        assertThat(directed.elementText("status")).isEqualTo("ping from a.test");

        carol.send("<presence to='alice@a.test/laptop'><status>pong from b.test</status></presence>");
        Element back = alice.next(presenceFrom("carol@b.test/pc", e -> e.attributeValue("type") == null));
        assertThat(back.elementText("status")).isEqualTo("pong from b.test");

        alice.close();
        carol.next(presenceFrom("alice@a.test/laptop", e -> "unavailable".equals(e.attributeValue("type"))));
        // carol has no subscription to alice: her roster stays empty (§4.6.2).
        assertThat(CrossDomainRosters.roster(carol).elements()).isEmpty();
    }

    /** RFC 6121 §3.1: {@code user} subscribes to {@code contact}, who approves; checks each step. */
    private static void subscribe(SocketClient user, String userJid, SocketClient contact, String contactJid) {
        user.send("<presence to='" + contactJid + "' type='subscribe'/>");
        // §3.1.2: roster push with ask='subscribe' to the user's resources.
        Element push = user.next(rosterPush(contactJid)
                .and(e -> "subscribe".equals(CrossDomainRosters.item(e).attributeValue("ask"))));
        assertThat(CrossDomainRosters.item(push).attributeValue("subscription")).isIn("none", "from");
        // §3.1.3: the request reaches the contact, from the user's bare JID.
        contact.next(presenceFrom(userJid, e -> "subscribe".equals(e.attributeValue("type"))));

        contact.send("<presence to='" + userJid + "' type='subscribed'/>");
        // §3.1.6: the approval and a roster push with the new state; §3.1.5: the contact's
        // current presence. The presence may overtake the approval: the receiving server
        // stores the approval before delivering it (see the report on RFC 6120 §10.1).
        CrossDomainRosters.receivesAll(user,
                presenceFrom(contactJid, e -> "subscribed".equals(e.attributeValue("type"))),
                rosterPush(contactJid).and(e -> CrossDomainRosters.item(e).attributeValue("ask") == null),
                e -> "presence".equals(e.getName()) && e.attributeValue("from").startsWith(contactJid + "/")
                        && e.attributeValue("type") == null);
    }

    private static void subscribeBothWays(SocketClient alice, SocketClient bob) {
        subscribe(alice, "alice@a.test", bob, "bob@b.test");
        subscribe(bob, "bob@b.test", alice, "alice@a.test");
    }

    private static Predicate<Element> presenceFrom(String from,
                                                                      Predicate<Element> more) {
        return e -> "presence".equals(e.getName()) && from.equals(e.attributeValue("from")) && more.test(e);
    }

    private static Predicate<Element> rosterPush(String contact) {
        return e -> "iq".equals(e.getName()) && "set".equals(e.attributeValue("type"))
                && e.element("query") != null && e.element("query").element("item") != null
                && contact.equals(e.element("query").element("item").attributeValue("jid"));
    }
}
