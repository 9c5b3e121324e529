package im.parley.server.federation;

import static im.parley.server.federation.MucSteps.messageFrom;
import static im.parley.server.federation.MucSteps.presenceFrom;
import static im.parley.server.federation.MucSteps.selfPresence;
import static im.parley.server.federation.MucSteps.statusCodes;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.s2s.dialback.DialbackKeys;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.FederationConfig;
import im.parley.server.s2s.S2sInitializer;
import im.parley.server.testing.LogCapture;
import im.parley.server.testing.SocketClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group chat across federation between two Parley servers in one JVM (a.test on 127.0.0.25,
 * b.test on 127.0.0.26): the MUC service {@code conference.<domain>} is an s2s endpoint of its
 * own (RFC 6120 §13.7, XEP-0220 §2: each domain pair is authenticated by itself, here by
 * dialback with self-signed certificates), so a user of one server enters, talks in and leaves a
 * room of the other (XEP-0045 §7.2, §7.4, §7.5, §7.14).
 */
class CrossDomainMucTest {

    private static final String IP_A = "127.0.0.25";
    private static final String IP_B = "127.0.0.26";
    private static final String SECRET_B = "b-test-dialback-secret-0123456789";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FederatedServer a;
    private FederatedServer b;

    /** Both servers with their generated self-signed certificates: everything goes by dialback. */
    private void start() throws Exception {
        start(Map.of(), Map.of(), f -> f);
    }

    private void start(Map<String, CertificateFiles> certsA, Map<String, CertificateFiles> certsB,
                       UnaryOperator<FederationConfig> federation) throws Exception {
        int portA = FederatedServer.freePort(IP_A);
        int portB = FederatedServer.freePort(IP_B);
        String routeA = IP_A + ":" + portA;
        String routeB = IP_B + ":" + portB;
        a = new FederatedServer(FederatedServer.config("a.test", IP_A, portA, dir.resolve("a"), certsA,
                f -> federation.apply(f.withStaticRoutes(Map.of("b.test", routeB, "conference.b.test", routeB)))),
                IP_A);
        closeables.add(a);
        b = new FederatedServer(FederatedServer.config("b.test", IP_B, portB, dir.resolve("b"), certsB,
                f -> federation.apply(f.withStaticRoutes(Map.of("a.test", routeA, "conference.a.test", routeA))
                        .withDialbackSecret(SECRET_B))), IP_B);
        closeables.add(b);
        a.user("alice@a.test");
        b.user("bob@b.test");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /** A user of b.test in a room of a.test: the room's domain talks to b.test over its own streams. */
    @Test
    void aRemoteUserEntersTalksAndLeavesALocalRoom() throws Exception {
        start();
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");
        talkInRoom("lounge@conference.a.test", alice, bob);
        assertThat(a.s2s().outboundStatus("conference.a.test", "b.test")).isEqualTo("ESTABLISHED by dialback");
        assertThat(b.s2s().outboundStatus("b.test", "conference.a.test")).isEqualTo("ESTABLISHED by dialback");
    }

    /** The other way round: a user of a.test in a room of b.test. */
    @Test
    void aLocalUserEntersTalksAndLeavesARemoteRoom() throws Exception {
        start();
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");
        talkInRoom("terrace@conference.b.test", bob, alice);
    }

    /**
     * The room's refusals reach the remote user's full JID across the link: a nickname in use is
     * refused with {@code conflict} (XEP-0045 §7.2.9), a message from someone not in the room with
     * {@code not-acceptable} (§7.4).
     */
    @Test
    void theRoomsRefusalsReachTheRemoteUser() throws Exception {
        start();
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");
        MucSteps.createInstant(alice, "den@conference.a.test/alice");

        bob.send("<presence to='den@conference.a.test/alice'><x xmlns='" + MucSteps.MUC + "'/></presence>");
        Element refused = bob.next(e -> presenceFrom("den@conference.a.test/alice").test(e)
                && "error".equals(e.attributeValue("type")));
        assertThat(refused.attributeValue("to")).isEqualTo(bob.jid());
        assertThat(refused.element("error").asXML()).contains("<conflict");

        bob.send("<message to='den@conference.a.test' type='groupchat' id='outsider'><body>hi</body></message>");
        Element bounced = bob.next(e -> "outsider".equals(e.attributeValue("id")));
        assertThat(bounced.attributeValue("type")).isEqualTo("error");
        assertThat(bounced.element("error").asXML()).contains("<not-acceptable");
    }

    /**
     * XEP-0220 §2: authenticating b.test for a.test does not authenticate it
     * for conference.a.test, a domain pair of its own; a stanza to the room on that stream ends it
     * with {@code invalid-from} (RFC 6120 §4.9.3.9).
     */
    @Test
    void aStreamAuthenticatedForTheDomainDoesNotReachItsMucService() throws Exception {
        start();
        try (RawS2sPeer peer = new RawS2sPeer(IP_A, a.server().s2sPort())) {
            String id = peer.openWithTls("b.test", "a.test");
            String key = new DialbackKeys(SECRET_B.getBytes(StandardCharsets.UTF_8)).key("a.test", "b.test", id);
            peer.send("<db:result from='b.test' to='a.test'>" + key + "</db:result>");
            peer.await("<db:result[^>]*type='valid'");
            peer.send("<presence from='bob@b.test/phone' to='lounge@conference.a.test/bob'>"
                    + "<x xmlns='http://jabber.org/protocol/muc'/></presence>");
            peer.await("<invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        }
    }

    /**
     * A stream to the MUC service's domain is authenticated by dialback like any other
     * (XEP-0220 §2.1: here b.test's key, genuine, is checked with b.test's server), and the
     * service's answer goes back over its own stream to b.test, to the user there.
     */
    @Test
    void aPeerAuthenticatesForTheMucServiceByDialback() throws Exception {
        start();
        SocketClient bob = b.login("bob@b.test", "phone");
        try (RawS2sPeer peer = new RawS2sPeer(IP_A, a.server().s2sPort())) {
            String id = peer.openWithTls("b.test", "conference.a.test");
            String key = new DialbackKeys(SECRET_B.getBytes(StandardCharsets.UTF_8))
                    .key("conference.a.test", "b.test", id);
            peer.send("<db:result from='b.test' to='conference.a.test'>" + key + "</db:result>");
            peer.await("<db:result[^>]*type='valid'");
            peer.send("<iq from='bob@b.test/phone' to='conference.a.test' type='get' id='info'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        }
        Element info = bob.next(e -> "info".equals(e.attributeValue("id")));
        assertThat(info.attributeValue("type")).isEqualTo("result");
        assertThat(info.attributeValue("from")).isEqualTo("conference.a.test");
        assertThat(info.asXML()).contains("http://jabber.org/protocol/muc");
    }

    /**
     * XEP-0178 with a certificate from a CA the peer trusts that names the service
     * ({@code *.a.test}, RFC 6125 §6.4.3): the service's own stream authenticates by SASL
     * EXTERNAL, as the domain's does, and b.test's stream to the service too.
     */
    @Test
    void theServiceAuthenticatesBySaslExternalWhenItsCertificateNamesIt() throws Exception {
        try (LogCapture log = new LogCapture(S2sInitializer.class.getName())) {
            startWithCertificatesOfATestCa("*.a.test");
            assertThat(LogCapture.describe(log.events(S2sInitializer.class.getName())))
                    .doesNotContain("certificate of a.test does not name");
        }
        enterAndSayHello();
        assertThat(a.s2s().outboundStatus("conference.a.test", "b.test")).isEqualTo("ESTABLISHED by sasl-external");
        assertThat(b.s2s().outboundStatus("b.test", "conference.a.test")).isEqualTo("ESTABLISHED by sasl-external");
    }

    /**
     * XEP-0178 with a certificate of the service's own ({@code tls.certificates} for
     * {@code conference.a.test}) beside a.test's, which names a.test only: the service presents its
     * own (RFC 6120 §13.7.1.2) and authenticates by SASL EXTERNAL both ways; no warning at start.
     */
    @Test
    void theServiceAuthenticatesBySaslExternalWithACertificateOfItsOwn() throws Exception {
        TestCa ca = new TestCa();
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        try (LogCapture log = new LogCapture(S2sInitializer.class.getName())) {
            start(Map.of("a.test", ca.issueFiles("a.test", dir.resolve("certs-a")),
                            "conference.a.test", ca.issueFiles("conference.a.test", dir.resolve("certs-a"))),
                    Map.of("b.test", ca.issueFiles("b.test", dir.resolve("certs-b"))), f -> f.withTrustedCaFile(caFile));
            // upload.a.test has no certificate of its own and may be named; conference.a.test is not.
            assertThat(LogCapture.describe(log.events(S2sInitializer.class.getName())))
                    .doesNotContainPattern("does not name \\[[^\\]]*conference\\.a\\.test");
        }
        assertThat(a.server().certificate("conference.a.test").getSubjectX500Principal().getName())
                .isEqualTo("CN=conference.a.test");
        enterAndSayHello();
        assertThat(a.s2s().outboundStatus("conference.a.test", "b.test")).isEqualTo("ESTABLISHED by sasl-external");
        assertThat(b.s2s().outboundStatus("b.test", "conference.a.test")).isEqualTo("ESTABLISHED by sasl-external");
    }

    /**
     * A certificate that names the domain only: the peer refuses it for the service (RFC 6125
     * §6.4), and the service proves its name by dialback instead (XEP-0220 §2.1), where the
     * peer's policy allows it.
     */
    @Test
    void theServiceFallsBackToDialbackWhenItsCertificateDoesNotNameIt() throws Exception {
        try (LogCapture log = new LogCapture(S2sInitializer.class.getName())) {
            startWithCertificatesOfATestCa();
            // The operator is told at start.
            assertThat(LogCapture.describe(log.events(S2sInitializer.class.getName())))
                    .containsPattern("WARN .*certificate of a.test does not name \\[.*conference\\.a\\.test");
        }
        enterAndSayHello();
        assertThat(a.s2s().outboundStatus("conference.a.test", "b.test")).isEqualTo("ESTABLISHED by dialback");
    }

    /** a.test's certificate, with {@code moreNames}, and b.test's from one CA both trust. */
    private void startWithCertificatesOfATestCa(String... moreNames) throws Exception {
        TestCa ca = new TestCa();
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        start(Map.of("a.test", ca.issueFiles("a.test", dir.resolve("certs-a"), moreNames)),
                Map.of("b.test", ca.issueFiles("b.test", dir.resolve("certs-b"))), f -> f.withTrustedCaFile(caFile));
    }

    /** bob@b.test enters a room of a.test that alice created, and says hello: the room's answer crosses. */
    private void enterAndSayHello() throws Exception {
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");
        MucSteps.createInstant(alice, "hall@conference.a.test/alice");
        MucSteps.enter(bob, "hall@conference.a.test/bob");
        bob.send("<message to='hall@conference.a.test' type='groupchat' id='h1'><body>hello</body></message>");
        bob.next(messageFrom("hall@conference.a.test/bob", "groupchat", "hello"));
    }

    /**
     * XEP-0045 between an owner on the room's server and a guest on another: the owner creates an
     * instant room (§10.1.2); the guest enters (§7.2.3: the occupants first, then its own presence
     * with status 110), both send to the room (§7.4) and to each other privately (§7.5), and the
     * guest leaves (§7.14).
     */
    private static void talkInRoom(String room, SocketClient owner, SocketClient guest) {
        String ownerNick = room + "/owner";
        String guestNick = room + "/guest";
        MucSteps.createInstant(owner, ownerNick);

        guest.send("<presence to='" + guestNick + "'><x xmlns='" + MucSteps.MUC + "'/></presence>");
        guest.next(presenceFrom(ownerNick));
        Element self = guest.next(selfPresence(guestNick));
        assertThat(self.attributeValue("type")).as("%s", self.asXML()).isNull();
        assertThat(self.attributeValue("to")).isEqualTo(guest.jid());
        owner.next(presenceFrom(guestNick));

        guest.send("<message to='" + room + "' type='groupchat' id='g1'><body>hello room</body></message>");
        owner.next(messageFrom(guestNick, "groupchat", "hello room"));
        guest.next(messageFrom(guestNick, "groupchat", "hello room"));
        owner.send("<message to='" + room + "' type='groupchat' id='o1'><body>welcome</body></message>");
        guest.next(messageFrom(ownerNick, "groupchat", "welcome"));

        guest.send("<message to='" + ownerNick + "' type='chat' id='p1'><body>psst</body></message>");
        Element pm = owner.next(messageFrom(guestNick, "chat", "psst"));
        assertThat(pm.attributeValue("to")).isEqualTo(owner.jid());
        owner.send("<message to='" + guestNick + "' type='chat' id='p2'><body>psst back</body></message>");
        Element pmBack = guest.next(messageFrom(ownerNick, "chat", "psst back"));
        assertThat(pmBack.attributeValue("to")).isEqualTo(guest.jid());

        guest.send("<presence to='" + guestNick + "' type='unavailable'/>");
        Element gone = guest.next(presenceFrom(guestNick));
        assertThat(gone.attributeValue("type")).isEqualTo("unavailable");
        assertThat(statusCodes(gone)).contains(110);
        assertThat(owner.next(presenceFrom(guestNick)).attributeValue("type")).isEqualTo("unavailable");
    }
}
