package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node taken for dead that comes back: a split brain healed (docs/operations.md, Clustering).
 * Three nodes (127.0.0.42 to .44, one process each; raw clients): romeo on the first, nurse on
 * the second, juliet on the third. The third node's process is frozen (SIGSTOP, as a long
 * garbage collection pause or a stalled VM) longer than {@code cluster.failure_timeout}: the
 * others take it for dead and end its sessions (RFC 6121 §4.5.2: its users' contacts get
 * unavailable presence), store offline what was on its way to it and claim its room again
 * elsewhere. Then it runs on (SIGCONT) with its client connections still open, and Hazelcast
 * merges it back into the cluster.
 *
 * <p>What a user expects then: no ghost of the sessions the cluster ended. The returning node
 * closes them with the stream error {@code system-shutdown} (RFC 6120 §4.9.3.20), as a node that
 * stops does, so that their clients reconnect; a user who logs in again gets the messages sent
 * to her meanwhile from offline storage (none acknowledged to its sender is lost), is seen
 * available again by her contacts, gets their messages live, and a room lives once: the one the
 * cluster claimed while her node was away (XEP-0045 §7.2).
 */
class FrozenNodeComesBackTest {

    private static final String DOMAIN = "frozen.cluster.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.42", "127.0.0.43", "127.0.0.44");
    private static final String MUC = "http://jabber.org/protocol/muc";
    private static final String ROOM = "balcony@conference." + DOMAIN;
    private static final Duration WAIT = LoopbackCluster.WAIT;

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        cluster = LoopbackCluster.start(dir, DOMAIN, ADDRESSES, "juliet", "romeo", "nurse");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeTakenForDeadThatComesBackClosesItsSessionsAndServesTheirUsersAgain() throws Exception {
        try {
            freezeAndThaw();
        } catch (AssertionError | ConditionTimeoutException e) {
            // A CI log shows the failure's message only: what the nodes warned about goes with it.
            StringBuilder message = new StringBuilder(e.getMessage()).append("; the nodes' last warnings:");
            for (Node node : cluster.nodes()) {
                message.append(" [").append(cluster.warnings(node, 12)).append(']');
            }
            throw new AssertionError(message.toString(), e);
        }
    }

    private static void freezeAndThaw() throws Exception {
        Node romeosNode = cluster.node(0);
        Node frozen = cluster.node(2);
        RawXmppClient romeo = online(romeosNode, "romeo", "orchard");
        RawXmppClient nurse = online(cluster.node(1), "nurse", "kitchen");
        RawXmppClient juliet = online(frozen, "juliet", "balcony");
        String julietJid = "juliet@" + DOMAIN + "/balcony";
        awaitPresence(romeo, julietJid, null);
        enterRoom(juliet, "Juliet");

        cluster.freeze(frozen);
        try {
            // On its way to the frozen node when it is taken for dead: its sender stores it offline.
            romeo.send("<message to='" + julietJid + "' type='chat' id='m1'><body>Lady, by yonder blessed moon</body>"
                    + "</message>");
            awaitPresence(romeo, julietJid, "unavailable");
            awaitPresence(nurse, julietJid, "unavailable");
            // Her session is gone for the cluster: stored offline at once.
            romeo.send("<message to='juliet@" + DOMAIN + "' type='chat' id='m2'><body>I swear</body></message>");
            // Its home is gone: the room is claimed again on the first node (loaded from the database).
            enterRoom(romeo, "Romeo");
        } finally {
            cluster.thaw(frozen);
        }

        Element error = await("juliet's old session is closed with a stream error").atMost(WAIT)
                .until(() -> nextStreamError(juliet), Optional::isPresent).orElseThrow();
        assertThat(streamErrorCondition(error)).as(error.asXML()).isEqualTo("system-shutdown");
        juliet.assertClosed();
        cluster.awaitMembers(3);

        RawXmppClient julietAgain = cluster.connect(frozen);
        String julietAgainJid = julietAgain.login("juliet", LoopbackCluster.PASSWORD, "garden");
        julietAgain.send("<presence/>");
        List<String> offline = new ArrayList<>();
        while (offline.size() < 2) {
            offline.add(julietAgain.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null)
                    .elementText("body"));
        }
        assertThat(offline).containsExactlyInAnyOrder("Lady, by yonder blessed moon", "I swear");
        awaitPresence(romeo, julietAgainJid, null);
        awaitPresence(nurse, julietAgainJid, null);

        romeo.send("<message to='" + julietAgainJid + "' type='chat' id='m3'><body>O, wilt thou leave me so"
                + " unsatisfied?</body></message>");
        Element live = julietAgain.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null);
        assertThat(live.elementText("body")).isEqualTo("O, wilt thou leave me so unsatisfied?");
        // Her node knows the others' sessions again: her answer reaches romeo live.
        julietAgain.send("<message to='romeo@" + DOMAIN + "' type='chat' id='m4'><body>What satisfaction canst thou"
                + " have tonight?</body></message>");
        Element answer = romeo.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null);
        assertThat(answer.elementText("body")).isEqualTo("What satisfaction canst thou have tonight?");

        // No ghost of juliet's old resource on the other nodes: nurse and juliet's new one only.
        await("node " + romeosNode + " sees nurse and juliet's new resource only").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> LoopbackCluster.metric(romeosNode, "parley_cluster_remote_sessions", "available=\"true\""),
                        count -> count == 2);

        // One room: juliet, back through her node, which still holds its copy, enters the one romeo is in.
        julietAgain.send("<presence to='" + ROOM + "/Juliet'><x xmlns='" + MUC + "'/></presence>");
        Element romeoSeen = julietAgain.nextElement(e -> "presence".equals(e.getName())
                && (ROOM + "/Romeo").equals(e.attributeValue("from")));
        assertThat(romeoSeen.attributeValue("type")).as(romeoSeen.asXML()).isNull();
        awaitPresence(romeo, ROOM + "/Juliet", null);
    }

    /** A raw client logged in on {@code node} as {@code username}, available (RFC 6121 §4.2). */
    private static RawXmppClient online(Node node, String username, String resource) throws Exception {
        RawXmppClient client = cluster.connect(node);
        client.login(username, LoopbackCluster.PASSWORD, resource);
        client.send("<presence/>");
        return client;
    }

    /**
     * XEP-0045 §7.2: enters the room as {@code nick}; a room it creates (status 201, §10.1.2) is
     * configured persistent (§10.1.3), so that its node keeps it in memory when its occupants
     * leave and the database has it for the node that claims it next.
     */
    private static void enterRoom(RawXmppClient client, String nick) {
        client.send("<presence to='" + ROOM + "/" + nick + "'><x xmlns='" + MUC + "'/></presence>");
        Element self = client.nextElement(e -> "presence".equals(e.getName())
                && (ROOM + "/" + nick).equals(e.attributeValue("from")) && statusCodes(e).contains("110"));
        if (statusCodes(self).contains("201")) {
            Element instant = client.iq("<iq type='set' id='%s' to='" + ROOM + "'><query xmlns='" + MUC
                    + "#owner'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>" + MUC
                    + "#roomconfig</value></field><field var='muc#roomconfig_persistentroom'><value>1</value></field>"
                    + "</x></query></iq>");
            assertThat(instant.attributeValue("type")).as(instant.asXML()).isEqualTo("result");
        }
    }

    private static List<String> statusCodes(Element presence) {
        Element x = presence.element("x");
        return x == null ? List.of() : x.elements("status").stream().map(s -> s.attributeValue("code")).toList();
    }

    /** Waits for presence from {@code from} of {@code type} (null: available), passing over the rest. */
    private static void awaitPresence(RawXmppClient client, String from, String type) {
        await("presence " + (type == null ? "available" : type) + " from " + from).atMost(WAIT)
                .until(() -> client.elementWithin(RawXmppClient.WAIT), element -> element.isPresent()
                        && "presence".equals(element.get().getName()) && from.equals(element.get().attributeValue("from"))
                        && java.util.Objects.equals(type, element.get().attributeValue("type")));
    }

    /** The stream error (RFC 6120 §4.9) if it is the next element within a second; stanzas before it are passed over. */
    private static Optional<Element> nextStreamError(RawXmppClient client) {
        return client.elementWithin(Duration.ofSeconds(1)).filter(element -> "error".equals(element.getName())
                && RawXmppClient.STREAMS_NS.equals(element.getNamespaceURI()));
    }

    private static String streamErrorCondition(Element error) {
        return error.elements().stream().filter(e -> RawXmppClient.STREAM_ERRORS_NS.equals(e.getNamespaceURI())
                && !"text".equals(e.getName())).map(Element::getName).findFirst().orElse("none");
    }
}
