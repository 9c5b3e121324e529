package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-session presence and roster state across the nodes of a three-node cluster (127.0.0.22 to
 * .24, one process each; raw clients): juliet is connected to every node, one resource on each,
 * and each requested her roster; benvolio and tybalt are nobody's contacts.
 *
 * <p>RFC 6121 §2.1.6: "the server MUST send a roster push to all interested resources" (those
 * that requested the roster, §2.1.2), wherever they are connected: after a roster set (§2.3.2)
 * and after the subscription state changes of §3.1.2 (an outbound request, "ask") and §3.1.6 (an
 * approval, processed on the node of the contact who approved). RFC 6121 §4.6.3: "the user's
 * server MUST also send that unavailable presence stanza to any entities to which the user has
 * sent directed presence", also when the session ends without unavailable presence (§4.5.2),
 * and when its node was killed (SIGKILL) before it could.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresenceAndRosterAcrossNodesTest {

    private static final String DOMAIN = "presence.cluster.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.22", "127.0.0.23", "127.0.0.24");
    private static final String ROSTER = "jabber:iq:roster";
    private static final Duration WAIT = LoopbackCluster.WAIT;

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;
    /** juliet's resources, one on each node, in node order; each requested the roster. */
    private static final List<RawXmppClient> juliet = new ArrayList<>();
    private static RawXmppClient benvolio;
    private static String benvolioJid;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        cluster = LoopbackCluster.start(dir, DOMAIN, ADDRESSES, List.of("benvolio", "tybalt"), "juliet", "romeo");
        for (int i = 0; i < 3; i++) {
            RawXmppClient resource = cluster.connect(cluster.node(i));
            resource.login("juliet", LoopbackCluster.PASSWORD, "r" + i);
            Element roster = resource.iq("<iq type='get' id='%s'><query xmlns='" + ROSTER + "'/></iq>");
            assertThat(roster.attributeValue("type")).as(roster.asXML()).isEqualTo("result");
            juliet.add(resource);
        }
        for (int i = 0; i < 3; i++) {
            LoopbackCluster.awaitMetric(cluster.node(i), "parley_cluster_remote_roster_interest", 2);
        }
        benvolio = cluster.connect(cluster.node(1));
        benvolioJid = benvolio.login("benvolio", LoopbackCluster.PASSWORD, "desk");
        benvolio.send("<presence/>");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** RFC 6121 §2.3.2, §2.1.6: a roster set on the first node is pushed to the resources on the other two. */
    @Test
    @Order(1)
    void aRosterSetIsPushedToTheInterestedResourcesOnEveryNode() {
        String nurse = "nurse@" + DOMAIN;
        Element result = juliet.get(0).iq("<iq type='set' id='%s'><query xmlns='" + ROSTER + "'><item jid='" + nurse
                + "' name='Nurse'><group>Servants</group></item></query></iq>");
        assertThat(result.attributeValue("type")).as(result.asXML()).isEqualTo("result");

        for (RawXmppClient resource : juliet.subList(1, 3)) {
            Element item = nextPushOf(resource, nurse, "none");
            assertThat(item.attributeValue("name")).isEqualTo("Nurse");
            assertThat(item.elementText("group")).isEqualTo("Servants");
        }
    }

    /**
     * RFC 6121 §3.1.2: juliet's subscription request (first node) is pushed to her resources with
     * {@code ask='subscribe'}; §3.1.6: benvolio's approval, which his node (the second) processes
     * for juliet, is pushed to her resources on the first and third nodes with subscription "to".
     */
    @Test
    @Order(2)
    void subscriptionStateChangesArePushedToTheInterestedResourcesOnEveryNode() {
        String contact = "benvolio@" + DOMAIN;
        juliet.get(0).send("<presence to='" + contact + "' type='subscribe'/>");
        for (RawXmppClient resource : juliet.subList(1, 3)) {
            Element item = nextPushOf(resource, contact, "none");
            assertThat(item.attributeValue("ask")).as(item.asXML()).isEqualTo("subscribe");
        }
        benvolio.nextElement(e -> "presence".equals(e.getName()) && "subscribe".equals(e.attributeValue("type")));

        benvolio.send("<presence to='juliet@" + DOMAIN + "' type='subscribed'/>");
        for (RawXmppClient resource : List.of(juliet.get(0), juliet.get(2))) {
            Element item = nextPushOf(resource, contact, "to");
            assertThat(item.attributeValue("ask")).as(item.asXML()).isNull();
        }
    }

    /**
     * RFC 6121 §4.6.3, §4.5.2: tybalt (first node), who is nobody's contact, sends directed
     * presence to benvolio (second node), then his connection drops without unavailable presence.
     */
    @Test
    @Order(3)
    void aSessionThatEndsTellsTheEntitiesItSentDirectedPresenceToOnAnotherNode() throws Exception {
        RawXmppClient tybalt = cluster.connect(cluster.node(0));
        String tybaltJid = sendsDirectedPresenceToBenvolio(tybalt, "street");

        tybalt.close();

        benvolioGetsUnavailableFrom(tybaltJid);
    }

    /**
     * RFC 6121 §4.6.3 when the sender's node dies: tybalt (third node) sent directed presence to
     * benvolio (second node); the third node is killed (SIGKILL); the node that ends its sessions
     * sends benvolio tybalt's unavailable presence, from the recipients the third node shared.
     */
    @Test
    @Order(4)
    void theEntitiesASessionSentDirectedPresenceToAreToldWhenItsNodeIsKilled() throws Exception {
        RawXmppClient tybalt = cluster.connect(cluster.node(2));
        String tybaltJid = sendsDirectedPresenceToBenvolio(tybalt, "sword");
        // Sent again: the recipients did not change (the node writes nothing for it).
        tybalt.send("<presence to='" + benvolioJid + "'/>");
        for (Node survivor : List.of(cluster.node(0), cluster.node(1))) {
            LoopbackCluster.awaitMetric(survivor, "parley_cluster_remote_directed_presence", 1);
        }

        cluster.kill(cluster.node(2));

        benvolioGetsUnavailableFrom(tybaltJid);
    }

    /**
     * tybalt logs in with {@code resource}, becomes available (RFC 6121 §4.2; he has no contacts)
     * and sends directed presence to benvolio (§4.6.2), who gets it. Returns tybalt's full JID.
     */
    private static String sendsDirectedPresenceToBenvolio(RawXmppClient tybalt, String resource) {
        String tybaltJid = tybalt.login("tybalt", LoopbackCluster.PASSWORD, resource);
        tybalt.send("<presence/>");
        tybalt.send("<presence to='" + benvolioJid + "'/>");
        benvolio.nextElement(e -> "presence".equals(e.getName()) && e.attributeValue("type") == null
                && tybaltJid.equals(e.attributeValue("from")));
        return tybaltJid;
    }

    private static void benvolioGetsUnavailableFrom(String senderJid) {
        Element unavailable = await(benvolioJid + " gets unavailable presence from " + senderJid).atMost(WAIT)
                .until(() -> benvolio.elementWithin(RawXmppClient.WAIT),
                        element -> element.isPresent() && "presence".equals(element.get().getName())
                                && senderJid.equals(element.get().attributeValue("from"))
                                && "unavailable".equals(element.get().attributeValue("type")))
                .orElseThrow();
        assertThat(unavailable.attributeValue("to")).isIn(benvolioJid, "benvolio@" + DOMAIN);
    }

    /**
     * The next roster push (RFC 6121 §2.1.6: an IQ set from the account or the server) with an
     * item for {@code contact} in the {@code subscription} state (a missing attribute is "none",
     * §2.1.2.5); answered as a client must. Returns the item.
     */
    private static Element nextPushOf(RawXmppClient resource, String contact, String subscription) {
        Element push = resource.nextElement(e -> "iq".equals(e.getName()) && "set".equals(e.attributeValue("type"))
                && e.element("query") != null && ROSTER.equals(e.element("query").getNamespaceURI())
                && contact.equals(e.element("query").element("item").attributeValue("jid"))
                && subscription.equals(e.element("query").element("item").attributeValue("subscription", "none")));
        assertThat(push.attributeValue("from")).as("from the account or the server").isIn(null, "juliet@" + DOMAIN);
        resource.send("<iq type='result' id='" + push.attributeValue("id") + "'/>");
        return push.element("query").element("item");
    }
}
