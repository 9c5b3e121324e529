package im.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.config.ClusterOptions;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.host.HostRegistry;
import im.parley.server.session.LocalSession;
import im.parley.server.testing.RecordingSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in one JVM (Hazelcast members on loopback ports), each with its own route
 * table, hosts and a router that records what it is asked to route: the shared route table and
 * the stanza channel between nodes, without sockets for clients. The three-process test with
 * real clients is conformance-tests' {@code ThreeNodeClusterTest}.
 */
class ClusteredRouteTableTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DOMAIN = "cluster.test";

    private final List<Node> nodes = new ArrayList<>();
    private Node first;
    private Node second;

    /** One node: its cluster, its hosts, what its router was asked to route, the sessions it ended. */
    private record Node(Cluster cluster, HostRegistry hosts, List<Stanza> routed, List<LocalSession> closed) {

        ClusteredRouteTable routes() {
            return cluster.routes();
        }
    }

    @BeforeEach
    void twoNodes() throws Exception {
        int[] ports = {freePort(), freePort()};
        List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
        first = start(ports[0], members);
        second = start(ports[1], members);
        for (Node node : nodes) {
            await().atMost(WAIT).until(() -> node.routes().node().members() == 2);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(node -> node.cluster().close());
    }

    @Test
    void aSessionBoundOnOneNodeIsSeenOnTheOtherWithItsPresence() throws Exception {
        RecordingSession romeo = new RecordingSession("romeo@" + DOMAIN + "/phone");
        first.routes().bind(romeo);
        romeo.updatePresence(true, 5);
        first.routes().share(romeo, "<presence xmlns='jabber:client'><show>away</show><priority>5</priority></presence>");

        LocalSession seen = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && session.get().isAvailable()).orElseThrow();

        assertThat(seen).isInstanceOf(RemoteSession.class);
        assertThat(seen.priority()).isEqualTo(5);
        assertThat(seen.sharedPresence().elementText("show")).isEqualTo("away");
        assertThat(second.routes().sessionsOf(romeo.jid().asEntityBareJid())).containsExactly(seen);
        assertThat(second.routes().all()).as("this node's own sessions only").isEmpty();
    }

    /** RFC 6120 §10.1: one sender's stanzas reach the session on the other node in the order routed. */
    @Test
    void stanzasDeliveredToARemoteSessionArriveOnItsNodeInOrder() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        second.routes().bind(juliet);
        LocalSession remote = await().atMost(WAIT).until(() -> first.routes().find(juliet.jid()), Optional::isPresent)
                .orElseThrow();

        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "m" + i).toList();
        for (String id : ids) {
            remote.deliver(message(id, juliet.jid()));
        }

        await().atMost(WAIT).until(() -> juliet.received.size() == ids.size());
        assertThat(juliet.received).extracting(e -> e.attributeValue("id")).containsExactlyElementsOf(ids);
    }

    /** RFC 6121 §8.5.3.2: the node of a session that ended routes what arrives for it again. */
    @Test
    void aStanzaForASessionThatEndedIsRoutedAgainOnItsNode() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        second.routes().bind(juliet);
        LocalSession remote = await().atMost(WAIT).until(() -> first.routes().find(juliet.jid()), Optional::isPresent)
                .orElseThrow();
        second.routes().unbind(juliet);

        remote.deliver(message("late", juliet.jid()));

        await().atMost(WAIT).until(() -> second.routed().size() == 1);
        assertThat(second.routed().get(0).to().toString()).isEqualTo(juliet.jid().toString());
        assertThat(second.routed().get(0).id()).isEqualTo("late");
        assertThat(juliet.received).isEmpty();
        await().atMost(WAIT).until(() -> first.routes().find(juliet.jid()).isEmpty());
    }

    /** RFC 6120 §7.7.2.2 across nodes: the later binding wins, the other session is closed with conflict. */
    @Test
    void aFullJidBoundAgainOnAnotherNodeClosesTheEarlierSession() throws Exception {
        RecordingSession onFirst = new RecordingSession("romeo@" + DOMAIN + "/phone");
        first.routes().bind(onFirst);
        await().atMost(WAIT).until(() -> second.routes().find(onFirst.jid()).isPresent());

        RecordingSession onSecond = new RecordingSession("romeo@" + DOMAIN + "/phone");
        second.routes().bind(onSecond);

        await().atMost(WAIT).until(() -> onFirst.closedWith.size() == 1);
        assertThat(onFirst.closedWith.get(0).condition()).isEqualTo(StreamErrorCondition.CONFLICT);
        assertThat(onSecond.closedWith).isEmpty();
    }

    /**
     * A node that leaves: the other forgets its sessions and, being the oldest left, ends them
     * for its modules ({@code session/closed}, which makes the presence module broadcast
     * unavailable presence, RFC 6121 §4.5.2).
     */
    @Test
    void whenANodeLeavesItsSessionsEndOnTheOther() throws Exception {
        RecordingSession mercutio = new RecordingSession("mercutio@" + DOMAIN + "/desk");
        second.routes().bind(mercutio);
        mercutio.updatePresence(true, 0);
        second.routes().share(mercutio, "<presence xmlns='jabber:client'/>");
        await().atMost(WAIT).until(() -> first.routes().find(mercutio.jid()).filter(LocalSession::isAvailable)
                .isPresent());

        second.cluster().close();
        nodes.remove(second);

        await().atMost(WAIT).until(() -> first.closed().size() == 1);
        assertThat(first.closed().get(0).jid().toString()).isEqualTo(mercutio.jid().toString());
        assertThat(first.closed().get(0).sharedPresence()).as("it was available").isNotNull();
        assertThat(first.routes().find(mercutio.jid())).isEmpty();
    }

    private Node start(int port, List<String> members) throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of(DOMAIN))
                .with(ClusterOptions.ENABLED, true)
                .with(ClusterOptions.SECRET, "test secret")
                .with(ClusterOptions.ADDRESS, "127.0.0.1")
                .with(ClusterOptions.PORT, port)
                .with(ClusterOptions.MEMBERS_OPTION, members);
        HostRegistry hosts = new HostRegistry(Set.of(Jids.parseDomain(DOMAIN)));
        List<LocalSession> closed = new CopyOnWriteArrayList<>();
        hosts.accountHosts().get(0).events().hook(SessionEvents.CLOSED, 0, session -> {
            closed.add(session);
            return Verdict.PASS;
        });
        List<Stanza> routed = new CopyOnWriteArrayList<>();
        StanzaRouter router = routed::add;
        Cluster cluster = Cluster.join(config, hosts);
        cluster.start(router, new SimpleMeterRegistry());
        Node node = new Node(cluster, hosts, routed, closed);
        nodes.add(node);
        return node;
    }

    private static Element message(String id, EntityFullJid to) {
        Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", "jabber:client"));
        message.addAttribute("to", to.toString());
        message.addAttribute("from", "nurse@" + DOMAIN + "/home");
        message.addAttribute("type", "chat");
        message.addAttribute("id", id);
        message.addElement("body").setText(id);
        return message;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
