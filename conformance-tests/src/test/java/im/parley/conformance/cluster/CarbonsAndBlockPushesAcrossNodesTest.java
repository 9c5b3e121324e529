package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message Carbons and block-list pushes across the nodes of a three-node cluster (127.0.0.32 to
 * .34, one process each; raw clients): juliet has one resource on each node, {@code r0} on the
 * first, {@code r1} on the second and {@code r2} on the third; {@code r1} and {@code r2} enabled
 * carbons. romeo, her contact, is connected to the first node, so their messages are routed
 * there, where the copies for {@code r1} and {@code r2} are made.
 *
 * <p>XEP-0280 §6: the server delivers a copy of a message to "all of the user's other resources
 * that have enabled carbons" (received), and §7 of what a resource sends (sent), except for a
 * message marked {@code <private/>} (§8; with XEP-0334's {@code <no-copy/>}), and not to a
 * resource that disabled them (§5). XEP-0191 §3.3 and §3.4: a block or unblock is pushed to the
 * resources that retrieved the block list (§3.2), on whichever node each is connected.
 *
 * <p>A copy that must not come is checked with order (RFC 6120 §10.1; the nodes forward one
 * sender's stanzas in order): the next message that resource gets is a later one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CarbonsAndBlockPushesAcrossNodesTest {

    private static final String DOMAIN = "carbons.cluster.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.32", "127.0.0.33", "127.0.0.34");
    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";
    private static final String BLOCKING = "urn:xmpp:blocking";
    private static final String JULIET = "juliet@" + DOMAIN;
    private static final String ROMEO = "romeo@" + DOMAIN;

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;
    /** juliet's resources, one on each node, in node order. */
    private static final List<RawXmppClient> juliet = new ArrayList<>();
    private static final List<String> julietJids = new ArrayList<>();
    private static RawXmppClient romeo;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        cluster = LoopbackCluster.start(dir, DOMAIN, ADDRESSES, List.of("tybalt"), "juliet", "romeo");
        for (int i = 0; i < 3; i++) {
            RawXmppClient resource = cluster.connect(cluster.node(i));
            julietJids.add(resource.login("juliet", LoopbackCluster.PASSWORD, "r" + i));
            resource.send("<presence/>");
            juliet.add(resource);
        }
        for (RawXmppClient resource : juliet.subList(1, 3)) {
            Element enabled = resource.iq("<iq type='set' id='%s'><enable xmlns='" + CARBONS + "'/></iq>");
            assertThat(enabled.attributeValue("type")).as(enabled.asXML()).isEqualTo("result");
        }
        LoopbackCluster.awaitMetric(cluster.node(0), "parley_cluster_remote_carbons", 2);
        romeo = cluster.connect(cluster.node(0));
        romeo.login("romeo", LoopbackCluster.PASSWORD, "garden");
        romeo.send("<presence/>");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** XEP-0280 §7: what r0 sends on the first node is copied to r1 and r2 on the others. */
    @Test
    @Order(1)
    void aSentMessageIsCopiedToTheResourcesOnTheOtherNodes() {
        juliet.get(0).send(chat(ROMEO, "sent-1", "Romeo, Romeo!"));
        nextMessage(romeo, "sent-1");

        for (RawXmppClient resource : juliet.subList(1, 3)) {
            Element original = copyIn(nextMessage(resource), "sent");
            assertThat(original.attributeValue("id")).isEqualTo("sent-1");
            assertThat(original.attributeValue("to")).isEqualTo(ROMEO);
            assertThat(original.elementText("body")).isEqualTo("Romeo, Romeo!");
        }
    }

    /** XEP-0280 §6: what romeo sends to r0 is copied to r1 and r2 on the other nodes. */
    @Test
    @Order(2)
    void aReceivedMessageIsCopiedToTheResourcesOnTheOtherNodes() {
        romeo.send(chat(julietJids.get(0), "received-1", "It is my lady"));
        nextMessage(juliet.get(0), "received-1");

        for (RawXmppClient resource : juliet.subList(1, 3)) {
            Element original = copyIn(nextMessage(resource), "received");
            assertThat(original.attributeValue("id")).isEqualTo("received-1");
            assertThat(original.attributeValue("to")).isEqualTo(julietJids.get(0));
            assertThat(original.elementText("body")).isEqualTo("It is my lady");
        }
    }

    /**
     * XEP-0280 §8 and XEP-0334: a message marked {@code <private/>} and {@code <no-copy/>} is not
     * copied, neither sent nor received; the next copy r1 and r2 get is of the message after it.
     */
    @Test
    @Order(3)
    void aPrivateMessageIsNotCopiedToTheOtherNodes() {
        juliet.get(0).send(privateChat(ROMEO, "sent-private"));
        juliet.get(0).send(chat(ROMEO, "sent-2", "Deny thy father"));
        nextMessage(romeo, "sent-private");
        nextMessage(romeo, "sent-2");
        for (RawXmppClient resource : juliet.subList(1, 3)) {
            assertThat(copyIn(nextMessage(resource), "sent").attributeValue("id")).isEqualTo("sent-2");
        }

        romeo.send(privateChat(julietJids.get(0), "received-private"));
        romeo.send(chat(julietJids.get(0), "received-2", "She speaks"));
        nextMessage(juliet.get(0), "received-private");
        nextMessage(juliet.get(0), "received-2");
        for (RawXmppClient resource : juliet.subList(1, 3)) {
            assertThat(copyIn(nextMessage(resource), "received").attributeValue("id")).isEqualTo("received-2");
        }
    }

    /**
     * XEP-0280 §5: r2 disables carbons on the third node; the first node copies to r1 only. r2's
     * next message is the one romeo sends it after, not a copy.
     */
    @Test
    @Order(4)
    void aResourceThatDisabledCarbonsOnItsNodeGetsNoCopies() {
        Element disabled = juliet.get(2).iq("<iq type='set' id='%s'><disable xmlns='" + CARBONS + "'/></iq>");
        assertThat(disabled.attributeValue("type")).as(disabled.asXML()).isEqualTo("result");
        LoopbackCluster.awaitMetric(cluster.node(0), "parley_cluster_remote_carbons", 1);

        romeo.send(chat(julietJids.get(0), "received-3", "O, speak again"));
        romeo.send(chat(julietJids.get(2), "direct-3", "bright angel"));

        nextMessage(juliet.get(0), "received-3");
        assertThat(copyIn(nextMessage(juliet.get(1)), "received").attributeValue("id")).isEqualTo("received-3");
        Element next = nextMessage(juliet.get(2));
        assertThat(next.attributeValue("id")).as(next.asXML()).isEqualTo("direct-3");
    }

    /**
     * XEP-0191 §3.3: r0 blocks tybalt on the first node; r1 and r2, which retrieved the block list
     * on theirs (§3.2), get the push. §3.4: r1 unblocks him on the second node; r0 and r2 get it.
     */
    @Test
    @Order(5)
    void blocksAndUnblocksArePushedToTheResourcesOnTheOtherNodes() {
        for (RawXmppClient resource : juliet) {
            Element list = resource.iq("<iq type='get' id='%s'><blocklist xmlns='" + BLOCKING + "'/></iq>");
            assertThat(list.attributeValue("type")).as(list.asXML()).isEqualTo("result");
        }
        LoopbackCluster.awaitMetric(cluster.node(0), "parley_cluster_remote_block_list_interest", 2);
        LoopbackCluster.awaitMetric(cluster.node(1), "parley_cluster_remote_block_list_interest", 2);
        String tybalt = "tybalt@" + DOMAIN;

        Element blocked = juliet.get(0).iq("<iq type='set' id='%s'><block xmlns='" + BLOCKING + "'><item jid='"
                + tybalt + "'/></block></iq>");
        assertThat(blocked.attributeValue("type")).as(blocked.asXML()).isEqualTo("result");
        for (RawXmppClient resource : juliet.subList(1, 3)) {
            assertThat(nextPush(resource, "block")).isEqualTo(tybalt);
        }

        Element unblocked = juliet.get(1).iq("<iq type='set' id='%s'><unblock xmlns='" + BLOCKING + "'><item jid='"
                + tybalt + "'/></unblock></iq>");
        assertThat(unblocked.attributeValue("type")).as(unblocked.asXML()).isEqualTo("result");
        for (RawXmppClient resource : List.of(juliet.get(0), juliet.get(2))) {
            assertThat(nextPush(resource, "unblock")).isEqualTo(tybalt);
        }
    }

    private static String chat(String to, String id, String body) {
        return "<message type='chat' to='" + to + "' id='" + id + "'><body>" + body + "</body></message>";
    }

    /** XEP-0280 §8 {@code <private/>} with the XEP-0334 {@code <no-copy/>} hint. */
    private static String privateChat(String to, String id) {
        return "<message type='chat' to='" + to + "' id='" + id + "'><body>Not for thy other eyes</body>"
                + "<private xmlns='" + CARBONS + "'/><no-copy xmlns='urn:xmpp:hints'/></message>";
    }

    /** The next message the client gets (presence and IQs skipped). */
    private static Element nextMessage(RawXmppClient client) {
        return client.nextElement(e -> "message".equals(e.getName()));
    }

    private static void nextMessage(RawXmppClient client, String id) {
        Element message = nextMessage(client);
        assertThat(message.attributeValue("id")).as(message.asXML()).isEqualTo(id);
    }

    /** XEP-0280 §6, §7: a copy from juliet's bare JID, the original inside {@code <direction><forwarded/>}. */
    private static Element copyIn(Element carbon, String direction) {
        Element wrapper = carbon.element(QName.get(direction, CARBONS));
        assertThat(wrapper).as("a %s copy: %s", direction, carbon.asXML()).isNotNull();
        assertThat(carbon.attributeValue("from")).isEqualTo(JULIET);
        return wrapper.element(QName.get("forwarded", FORWARD)).element("message");
    }

    /**
     * The next block-list push (XEP-0191 §3.3, §3.4: an IQ set with {@code command}), answered
     * as a client must. Returns the JID of its item.
     */
    private static String nextPush(RawXmppClient resource, String command) {
        Element push = resource.nextElement(e -> "iq".equals(e.getName()) && "set".equals(e.attributeValue("type"))
                && e.element(QName.get(command, BLOCKING)) != null);
        assertThat(push.attributeValue("from")).as("from the account or the server").isIn(null, JULIET);
        resource.send("<iq type='result' id='" + push.attributeValue("id") + "'/>");
        return push.element(QName.get(command, BLOCKING)).element("item").attributeValue("jid");
    }
}
