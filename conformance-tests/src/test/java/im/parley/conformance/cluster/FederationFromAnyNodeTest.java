package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.testing.ParleyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3, "any node can open the s2s stream to a remote domain": three Parley processes
 * on 127.0.0.81-83 form one cluster serving a.test; a single Parley on 127.0.0.84 (embedded H2,
 * no cluster) serves b.test. Every a.test node routes b.test to that server; b.test routes
 * a.test to the SECOND node only (as DNS may send it to any node). Certificates are each node's
 * own, self-signed, so the servers authenticate each other by Server Dialback (XEP-0220).
 *
 * <p>When the first node opens a stream to b.test, b.test verifies its key (XEP-0220 §2.1.2,
 * "the Receiving Server ... sends a verification request to the Authoritative Server") over a
 * connection of its own to a.test, which reaches the second node: that node can only confirm the
 * key if it derives it from the same secret (XEP-0185 §3: HMAC-SHA256 over the secret, the
 * domains and the stream id), which the nodes now share through their database. The way back
 * comes in at the second node and reaches the user on the first (or third) node through the
 * cluster's route table.
 */
class FederationFromAnyNodeTest {

    private static final String A = "a.test";
    private static final String B = "b.test";
    private static final List<String> A_NODES = List.of("127.0.0.81", "127.0.0.82", "127.0.0.83");
    private static final String B_ADDRESS = "127.0.0.84";
    private static final Duration WAIT = LoopbackCluster.WAIT;

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;
    private static SingleServer b;
    private static RawXmppClient alice;
    private static RawXmppClient carol;
    private static RawXmppClient bob;

    @BeforeAll
    static void startACluster() throws Exception {
        int bS2sPort = LoopbackCluster.freePort(B_ADDRESS);
        cluster = LoopbackCluster.start(dir, A, A_NODES, node -> String.join("\n",
                "s2s:", "  enabled: true", "  address: \"" + node.address + "\"", "  port: " + node.s2sPort,
                "federation:", "  static_routes: {\"" + B + "\": \"" + B_ADDRESS + ":" + bS2sPort + "\"}"),
                "alice", "carol");
        Node second = cluster.node(1);
        b = startB(bS2sPort, second.address + ":" + second.s2sPort);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RawXmppClient client : new RawXmppClient[] {alice, carol, bob}) {
            if (client != null) {
                client.close();
            }
        }
        if (b != null) {
            b.process.close();
            // Its problems, and how the dialback with each node went.
            b.process.log().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                    || line.contains("dialback")).limit(40).forEach(line -> System.out.println(B_ADDRESS + ": " + line));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void usersOnAnyNodeChatWithARemoteDomainWhoseDialbackVerifyReachesAnotherNode() throws Exception {
        Node first = cluster.node(0);
        Node third = cluster.node(2);
        alice = login(first, A, "alice");
        carol = login(third, A, "carol");
        bob = RawXmppClient.connect(B_ADDRESS, b.c2sPort, LoopbackCluster.certificate(b.dir, B)).toDomain(B);
        bob.login("bob", LoopbackCluster.PASSWORD, "phone");
        bob.send("<presence/>");

        // The first node opens the stream to b.test; b.test's verification reaches the second node.
        alice.send("<message to='bob@" + B + "' type='chat' id='a1'><body>hello from the first node</body></message>");
        assertThat(nextMessage(bob, "bob receives alice's message").elementText("body"))
                .isEqualTo("hello from the first node");

        // b.test's stream to a.test goes to the second node; alice is on the first.
        bob.send("<message to='alice@" + A + "' type='chat' id='b1'><body>hello alice</body></message>");
        Element reply = nextMessage(alice, "alice receives bob's reply");
        assertThat(reply.attributeValue("from")).isEqualTo("bob@" + B + "/phone");
        assertThat(reply.elementText("body")).isEqualTo("hello alice");

        // The third node opens a stream of its own, verified by the second node as well.
        carol.send("<message to='bob@" + B + "' type='chat' id='c1'><body>hello from the third node</body></message>");
        assertThat(nextMessage(bob, "bob receives carol's message").elementText("body"))
                .isEqualTo("hello from the third node");
        bob.send("<message to='carol@" + A + "' type='chat' id='b2'><body>hello carol</body></message>");
        assertThat(nextMessage(carol, "carol receives bob's reply").elementText("body")).isEqualTo("hello carol");

        // The streams went as the routes say: out from the first and third nodes, in at the second only.
        assertThat(s2sLinks(first, "out")).as("streams out of the first node").isPositive();
        assertThat(s2sLinks(third, "out")).as("streams out of the third node").isPositive();
        assertThat(s2sLinks(cluster.node(1), "in")).as("streams into the second node").isPositive();
        assertThat(s2sLinks(first, "in")).as("streams into the first node").isZero();
        assertThat(s2sLinks(third, "in")).as("streams into the third node").isZero();
    }

    private static double s2sLinks(Node node, String direction) throws Exception {
        return LoopbackCluster.metric(node, "parley_s2s_links", "direction=\"" + direction + "\"");
    }

    /** The next message, or an error if one comes instead (a bounce: the stream could not be set up). */
    private static Element nextMessage(RawXmppClient client, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Element> element = client.elementWithin(Duration.ofSeconds(1));
            if (element.isPresent() && "message".equals(element.get().getName())) {
                assertThat(element.get().attributeValue("type")).as(what + ": " + element.get().asXML())
                        .isNotEqualTo("error");
                return element.get();
            }
        }
        throw new AssertionError(what + ": nothing within " + WAIT);
    }

    private static RawXmppClient login(Node node, String domain, String username) throws Exception {
        RawXmppClient client = RawXmppClient.connect(node.address, node.c2sPort, node.certificate(domain))
                .toDomain(domain);
        client.login(username, LoopbackCluster.PASSWORD, "desk");
        client.send("<presence/>");
        return client;
    }

    /** The server of b.test: its process, directory and client port. */
    private record SingleServer(ParleyProcess process, Path dir, int c2sPort) {
    }

    /** b.test: one Parley on embedded H2, with bob's account, routing a.test to {@code aRoute}. */
    private static SingleServer startB(int s2sPort, String aRoute) throws Exception {
        Path bDir = Files.createDirectories(dir.resolve(B_ADDRESS));
        int c2sPort = LoopbackCluster.freePort(B_ADDRESS);
        String config = String.join("\n",
                "domains: [\"" + B + "\"]",
                "data_dir: \"" + bDir.resolve("data") + "\"",
                "c2s:", "  address: \"" + B_ADDRESS + "\"", "  port: " + c2sPort,
                "direct_tls:", "  enabled: false",
                "http:", "  enabled: false",
                "s2s:", "  enabled: true", "  address: \"" + B_ADDRESS + "\"", "  port: " + s2sPort,
                "federation:", "  static_routes: {\"" + A + "\": \"" + aRoute + "\"}",
                "");
        ParleyConfig parsed = ConfigLoader.parse(config, "parley.yml");
        try (Database db = Database.open(parsed.storage(), parsed.dataDir())) {
            new AccountService(new JdbcAccountStore(db.dataSource()))
                    .create(Jids.parseEntityBare("bob@" + B), LoopbackCluster.PASSWORD);
        }
        return new SingleServer(ParleyProcess.start(bDir, config, List.of()), bDir, c2sPort);
    }
}
