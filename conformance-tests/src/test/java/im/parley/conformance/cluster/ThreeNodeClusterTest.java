package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.sdk.Availability;
import im.parley.sdk.ChatClient;
import im.parley.sdk.ChatException;
import im.parley.sdk.ChatMessage;
import im.parley.sdk.PresenceUpdate;
import im.parley.sdk.Reconnect;
import im.parley.sdk.Transport;
import im.parley.sdk.Trust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;

/**
 * Three Parley processes on 127.0.0.2, .3 and .4 form one cluster (Hazelcast, TCP-IP join) on
 * one PostgreSQL database and serve one domain; romeo is connected to the first node, juliet to
 * the second (both with the SDK), mercutio to the third (a raw client). Each is the others'
 * contact both ways.
 *
 * <p>What a single server guarantees holds across nodes: RFC 6121 §4.2.2 "the user's server MUST
 * broadcast initial presence to the contacts"; §4.3.2 a probe is answered with "the last
 * presence"; §8.5.2.1.1 a message to a bare JID is delivered to the available resource; RFC 6120
 * §10.1 "the server MUST ensure that it processes stanzas in the order received" (one sender's
 * messages arrive in order); §8.2.3 an IQ request to a full JID reaches the resource and its
 * response comes back. RFC 6121 §4.5.2: when a session ends without unavailable presence ("the
 * user's server MUST broadcast unavailable presence"), here because its node died (SIGKILL),
 * the contacts on the other nodes learn it within seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {

    private static final String DOMAIN = "cluster.test";
    private static final Duration WAIT = LoopbackCluster.WAIT;
    private static final Duration FAILURE_TIMEOUT = LoopbackCluster.FAILURE_TIMEOUT;
    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String COMMANDS = "http://jabber.org/protocol/commands";
    private static final String MUC = "http://jabber.org/protocol/muc";

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;
    private static List<Node> nodes;
    private static User romeo;
    private static User juliet;
    private static RawXmppClient mercutio;
    private static String mercutioJid;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        cluster = LoopbackCluster.start(dir, DOMAIN, ADDRESSES, "romeo", "juliet", "mercutio", "tybalt",
                LoopbackCluster.ADMIN);
        nodes = cluster.nodes();
    }

    @AfterAll
    static void stop() throws Exception {
        if (romeo != null) {
            romeo.client.close();
        }
        if (juliet != null) {
            juliet.client.close();
        }
        if (mercutio != null) {
            mercutio.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void presenceMessagesAndIqsReachUsersOnOtherNodes() throws Exception {
        romeo = User.logsIn("romeo", nodes.get(0));
        awaitAvailableElsewhere(nodes.get(1), 1);
        awaitAvailableElsewhere(nodes.get(2), 1);
        juliet = User.logsIn("juliet", nodes.get(1));
        awaitAvailableElsewhere(nodes.get(0), 1);
        awaitAvailableElsewhere(nodes.get(2), 2);
        Node third = nodes.get(2);
        mercutio = raw(third);
        mercutioJid = mercutio.login("mercutio", LoopbackCluster.PASSWORD, "desk");
        mercutio.send("<presence/>");
        awaitAvailableElsewhere(nodes.get(0), 2);
        awaitAvailableElsewhere(nodes.get(1), 2);

        // RFC 6121 §4.2.2 and §4.3.2: broadcast to the contacts online, probes answered for them.
        romeo.seesPresence("juliet", Availability.AVAILABLE);
        romeo.seesPresence("mercutio", Availability.AVAILABLE);
        juliet.seesPresence("romeo", Availability.AVAILABLE);
        juliet.seesPresence("mercutio", Availability.AVAILABLE);
        Set<String> seenByMercutio = new HashSet<>();
        while (!seenByMercutio.containsAll(Set.of("romeo", "juliet"))) {
            Element presence = mercutio.nextElement(e -> "presence".equals(e.getName())
                    && e.attributeValue("type") == null && !e.attributeValue("from").startsWith("mercutio@"));
            seenByMercutio.add(presence.attributeValue("from").split("@")[0]);
        }

        // RFC 6121 §8.5.2.1.1 across nodes, both ways; RFC 6120 §10.1: in order.
        List<String> bodies = IntStream.rangeClosed(1, 30).mapToObj(i -> "to juliet " + i).toList();
        for (String body : bodies) {
            romeo.sends("juliet", body);
        }
        juliet.receives("romeo", bodies.get(bodies.size() - 1));
        assertThat(juliet.bodiesFrom("romeo")).containsExactlyElementsOf(bodies);
        juliet.sends("romeo", "to romeo");
        romeo.receives("juliet", "to romeo");
        mercutio.send("<message to='romeo@" + DOMAIN + "' type='chat' id='m1'><body>from mercutio</body></message>");
        romeo.receives("mercutio", "from mercutio");
        juliet.sends("mercutio", "to mercutio");
        Element message = mercutio.nextElement(e -> "message".equals(e.getName()));
        assertThat(message.elementText("body")).isEqualTo("to mercutio");

        // RFC 6120 §8.2.3: a request to a resource on another node is answered by that resource
        // (Smack answers disco#info for juliet's client).
        Element answer = mercutio.iq("<iq type='get' id='%s' to='" + juliet.client.sessionJid() + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        assertThat(answer.attributeValue("from")).isEqualTo(juliet.client.sessionJid().toString());
        assertThat(answer.element("query").getNamespaceURI()).isEqualTo(DISCO_INFO);
    }

    /**
     * XEP-0133 on a cluster: the admin commands act on the service, whichever node runs them.
     * §4.20 "Get List of Online Users" lists the users connected to every node; §4.14 "End User
     * Session" ends a session connected to another node, which gets the stream error (RFC 6120
     * §4.9.3.14 {@code <policy-violation/>}, as for a session of the admin's node) and goes
     * unavailable for the others.
     */
    @Test
    @Order(2)
    void adminCommandsListAndEndTheSessionsOfEveryNode() throws Exception {
        Node first = nodes.get(0);
        Node second = nodes.get(1);
        RawXmppClient tybalt = raw(second);
        tybalt.login("tybalt", LoopbackCluster.PASSWORD, "street");
        tybalt.send("<presence/>");
        awaitAvailableElsewhere(first, 3);
        try (RawXmppClient escalus = raw(first)) {
            escalus.login(LoopbackCluster.ADMIN, LoopbackCluster.PASSWORD, "palace");

            Element online = adminCommand(escalus, "get-online-users-list", field("max_items", "none"));
            assertThat(fieldValues(online, "onlineuserjids")).as(online.asXML()).contains(
                    jid("romeo").toString(), jid("juliet").toString(), jid("mercutio").toString(),
                    jid("tybalt").toString(), jid(LoopbackCluster.ADMIN).toString());

            Element ended = adminCommand(escalus, "end-user-session", field("accountjids", jid("tybalt").toString()));
            assertThat(ended.element("command").attributeValue("status")).as(ended.asXML()).isEqualTo("completed");
            assertThat(tybalt.streamErrorConditionAfterStanzas()).isEqualTo("policy-violation");
            awaitAvailableElsewhere(first, 2);
        } finally {
            tybalt.close();
        }
    }

    /**
     * XEP-0045 on a cluster: a room lives on one node, and users connected to other nodes are in
     * the same room. §10.1.2: the first to enter creates it (status 201) and makes it instant;
     * §7.2.3 and §7.2.4: one who enters through another node is not told of a new room (no 201)
     * and gets the existing occupant's presence, then its own (status 110); §7.4: a message to the
     * room reaches every occupant, whatever node each is connected to.
     */
    @Test
    @Order(3)
    void usersOfDifferentNodesMeetInOneRoom() throws Exception {
        String room = "verona@conference." + DOMAIN;
        Node first = nodes.get(0);
        Node second = nodes.get(1);
        try (RawXmppClient tybalt = raw(first);
             RawXmppClient escalus = raw(second)) {
            // Resources of their own, so that this test is about rooms across nodes. A full JID
            // bound again on another node right after its session ended (what the test before
            // leaves) once lost its route for a moment, to the old node's late removal; each node
            // now writes only routes of its own (ClusteredRouteTableTest covers it).
            tybalt.login("tybalt", LoopbackCluster.PASSWORD, "square");
            tybalt.send("<presence to='" + room + "/Tybalt'><x xmlns='" + MUC + "'/></presence>");
            Element created = tybalt.nextElement(e -> isSelfPresence(e, room + "/Tybalt"));
            assertThat(statusCodes(created)).as(created.asXML()).contains("201");
            Element instant = tybalt.iq("<iq type='set' id='%s' to='" + room + "'><query xmlns='" + MUC
                    + "#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
            assertThat(instant.attributeValue("type")).as(instant.asXML()).isEqualTo("result");

            // Enters right after binding, as clients do: the room's node learns escalus's session
            // from the presence handed to it, before his route arrives (the occupant's presence
            // to him was once dropped as to an unknown resource: ClusteredRouteTableTest).
            escalus.login(LoopbackCluster.ADMIN, LoopbackCluster.PASSWORD, "hall");
            escalus.send("<presence to='" + room + "/Escalus'><x xmlns='" + MUC + "'/></presence>");
            Element tybaltSeen = escalus.nextElement(e -> "presence".equals(e.getName())
                    && (room + "/Tybalt").equals(e.attributeValue("from")));
            assertThat(tybaltSeen.attributeValue("type")).as(tybaltSeen.asXML()).isNull();
            Element entered = escalus.nextElement(e -> isSelfPresence(e, room + "/Escalus"));
            assertThat(statusCodes(entered)).as("the room existed: " + entered.asXML()).doesNotContain("201");
            tybalt.nextElement(e -> "presence".equals(e.getName()) && (room + "/Escalus").equals(e.attributeValue("from")));

            tybalt.send("<message to='" + room + "' type='groupchat' id='g1'><body>Peace? I hate the word</body></message>");
            Element heard = escalus.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null);
            assertThat(heard.attributeValue("from")).isEqualTo(room + "/Tybalt");
            assertThat(heard.elementText("body")).isEqualTo("Peace? I hate the word");
            escalus.send("<message to='" + room + "' type='groupchat' id='g2'><body>Throw your mistempered weapons"
                    + "</body></message>");
            Element answered = tybalt.nextElement(e -> "message".equals(e.getName())
                    && (room + "/Escalus").equals(e.attributeValue("from")));
            assertThat(answered.elementText("body")).isEqualTo("Throw your mistempered weapons");
        }
    }

    /**
     * XEP-0191 on a cluster: a block made through one node holds on the others. §3.3: once a user
     * blocks a JID, "the server MUST NOT deliver" its stanzas and answers a message
     * {@code service-unavailable}. A stanza is filtered on the node that routes it, the
     * sender's, which had the user's list in memory from an earlier message: it must learn of
     * the change.
     */
    @Test
    @Order(4)
    void aBlockMadeThroughOneNodeHoldsOnTheOthers() throws Exception {
        Node first = nodes.get(0);
        Node second = nodes.get(1);
        try (RawXmppClient tybalt = raw(first);
             RawXmppClient escalus = raw(second)) {
            tybalt.login("tybalt", LoopbackCluster.PASSWORD, "street");
            tybalt.send("<presence/>");
            escalus.login(LoopbackCluster.ADMIN, LoopbackCluster.PASSWORD, "palace");
            awaitAvailableElsewhere(second, 3);
            escalus.send("<message to='" + jid("tybalt") + "' type='chat' id='b1'><body>before</body></message>");
            Element before = tybalt.nextElement(e -> "message".equals(e.getName()) && e.element("body") != null);
            assertThat(before.elementText("body")).isEqualTo("before");

            Element blocked = tybalt.iq("<iq type='set' id='%s'><block xmlns='urn:xmpp:blocking'><item jid='"
                    + jid(LoopbackCluster.ADMIN) + "'/></block></iq>");
            assertThat(blocked.attributeValue("type")).as(blocked.asXML()).isEqualTo("result");

            await("the block reaches the second node").atMost(WAIT).untilAsserted(() -> {
                String id = RawXmppClient.nextId();
                escalus.send("<message to='" + jid("tybalt") + "' type='chat' id='" + id + "'><body>after</body></message>");
                Element answer = escalus.nextElement(e -> "message".equals(e.getName()) && id.equals(e.attributeValue("id")));
                assertThat(RawXmppClient.stanzaErrorCondition(answer)).isEqualTo("service-unavailable");
            });
        }
    }

    /** A raw client connected to {@code node} (STARTTLS trusting its certificate), not logged in yet. */
    private static RawXmppClient raw(Node node) throws Exception {
        return RawXmppClient.connect(node.address, node.c2sPort, node.certificate(DOMAIN)).toDomain(DOMAIN);
    }

    private static boolean isSelfPresence(Element element, String occupant) {
        return "presence".equals(element.getName()) && occupant.equals(element.attributeValue("from"))
                && statusCodes(element).contains("110");
    }

    private static List<String> statusCodes(Element presence) {
        return presence.elements("x").stream().filter(x -> (MUC + "#user").equals(x.getNamespaceURI()))
                .flatMap(x -> x.elements("status").stream()).map(e -> e.attributeValue("code")).toList();
    }

    /** Runs a two-stage admin command (XEP-0050 §3.4: execute, then submit the form) and returns the last answer. */
    private static Element adminCommand(RawXmppClient admin, String command, String fields) {
        String node = "http://jabber.org/protocol/admin#" + command;
        Element form = admin.iq("<iq type='set' id='%s' to='" + DOMAIN + "'><command xmlns='"
                + COMMANDS + "' node='" + node + "' action='execute'/></iq>");
        assertThat(form.attributeValue("type")).as(form.asXML()).isEqualTo("result");
        String session = form.element("command").attributeValue("sessionid");
        Element answer = admin.iq("<iq type='set' id='%s' to='" + DOMAIN + "'><command xmlns='" + COMMANDS
                + "' node='" + node + "' sessionid='" + session + "'><x xmlns='jabber:x:data' type='submit'>"
                + field("FORM_TYPE", "http://jabber.org/protocol/admin") + fields + "</x></command></iq>");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer;
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    private static List<String> fieldValues(Element iq, String var) {
        return iq.element("command").element("x").elements("field").stream()
                .filter(field -> var.equals(field.attributeValue("var")))
                .flatMap(field -> field.elements("value").stream()).map(Element::getText).toList();
    }

    @Test
    @Order(5)
    void theContactsOfAKilledNodesUsersSeeThemGoUnavailableWithinSeconds() throws Exception {
        assertThat(mercutioJid).as("mercutio is online on the third node").isNotNull();
        long killedAt = System.nanoTime();
        cluster.kill(nodes.get(2));

        // RFC 6121 §4.5.2: the session ended; its contacts on the surviving nodes are told.
        romeo.seesPresence("mercutio", Availability.OFFLINE);
        juliet.seesPresence("mercutio", Availability.OFFLINE);
        Duration noticed = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.println("the contacts saw mercutio unavailable " + noticed.toMillis() + " ms after SIGKILL");
        assertThat(noticed).as("failure timeout %s plus the broadcast", FAILURE_TIMEOUT)
                .isLessThan(Duration.ofSeconds(30));
        cluster.awaitMembers(2);
        // The two left still talk to each other.
        romeo.sends("juliet", "after the crash");
        juliet.receives("romeo", "after the crash");
    }

    /** Waits until {@code node} knows {@code count} available sessions on the other nodes. */
    private static void awaitAvailableElsewhere(Node node, int count) {
        await("node " + node.address + " knows " + count + " available sessions elsewhere").atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> LoopbackCluster.metric(node, "parley_cluster_remote_sessions", "available=\"true\""), v -> v == count);
    }

    private static EntityBareJid jid(String username) {
        return cluster.jid(username);
    }

    /** An SDK client on one node and what it received. */
    private record User(ChatClient client, List<ChatMessage> messages, List<PresenceUpdate> presences) {

        static User logsIn(String username, Node node) throws Exception {
            ChatClient client = ChatClient.builder(jid(username), LoopbackCluster.PASSWORD)
                    .transport(Transport.startTls(node.address, node.c2sPort))
                    .trust(Trust.pinned(node.certificate(DOMAIN)))
                    .reconnect(Reconnect.disabled())
                    .replyTimeout(WAIT)
                    .build();
            User user = new User(client, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
            client.onMessage(user.messages::add);
            client.contacts().onPresence(user.presences::add);
            client.login();
            return user;
        }

        void sends(String to, String body) throws ChatException {
            client.send(jid(to), body);
        }

        void receives(String from, String body) {
            await(client.jid() + " receives '" + body + "' from " + from).atMost(WAIT)
                    .until(() -> bodiesFrom(from).contains(body));
        }

        List<String> bodiesFrom(String from) {
            return messages.stream().filter(m -> m.from().equals(jid(from))).map(ChatMessage::body).toList();
        }

        void seesPresence(String contact, Availability availability) {
            await(client.jid() + " sees " + contact + " " + availability).atMost(WAIT)
                    .until(() -> presences.stream().anyMatch(p -> p.contact().equals(jid(contact))
                            && p.availability() == availability));
        }
    }
}
