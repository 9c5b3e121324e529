package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.s2s.dialback.DialbackKeys;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.FederationConfig;
import im.parley.server.testing.SocketClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Parley servers in one JVM, a.test on 127.0.0.21 and b.test on 127.0.0.22, federating over
 * real sockets with static routes (RFC 6120 §13; XEP-0178; XEP-0220; XEP-0368).
 */
class TwoDomainFederationTest {

    private static final String IP_A = "127.0.0.21";
    private static final String IP_B = "127.0.0.22";
    private static final String SECRET_A = "a-test-dialback-secret-0123456789";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FederatedServer a;
    private FederatedServer b;

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private void start(Map<String, CertificateFiles> certsA, Map<String, CertificateFiles> certsB,
                       UnaryOperator<FederationConfig> extraA, UnaryOperator<FederationConfig> extraB) throws Exception {
        int portA = FederatedServer.freePort(IP_A);
        int portB = FederatedServer.freePort(IP_B);
        a = new FederatedServer(FederatedServer.config("a.test", IP_A, portA, dir.resolve("a"), certsA,
                f -> extraA.apply(f.withStaticRoutes(Map.of("b.test", IP_B + ":" + portB)).withDialbackSecret(SECRET_A))),
                IP_A);
        closeables.add(a);
        b = new FederatedServer(FederatedServer.config("b.test", IP_B, portB, dir.resolve("b"), certsB,
                f -> extraB.apply(f.withStaticRoutes(Map.of("a.test", IP_A + ":" + portA)))), IP_B);
        closeables.add(b);
        a.user("alice@a.test");
        b.user("bob@b.test");
    }

    private void startWithSelfSignedCertificates() throws Exception {
        start(Map.of(), Map.of(), f -> f, f -> f);
    }

    /** RFC 6120 §10.4 + XEP-0220: messages both ways, queued while the stream is set up, in order. */
    @Test
    void messagesFlowBothWaysOverDialbackAndQueuedStanzasArriveInOrder() throws Exception {
        startWithSelfSignedCertificates();
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");

        // The first stanza opens the stream; the others queue behind it until it is authenticated.
        for (int i = 1; i <= 3; i++) {
            alice.send("<message to='bob@b.test' type='chat' id='m" + i + "'><body>hello " + i + "</body></message>");
        }
        for (int i = 1; i <= 3; i++) {
            Element message = bob.nextMessage();
            assertThat(message.attributeValue("id")).isEqualTo("m" + i);
            assertThat(message.attributeValue("from")).isEqualTo("alice@a.test/laptop");
            assertThat(message.getNamespaceURI()).isEqualTo("jabber:client");
            assertThat(message.elementText("body")).isEqualTo("hello " + i);
        }

        bob.send("<message to='alice@a.test/laptop' type='chat' id='r1'><body>hi alice</body></message>");
        Element reply = alice.nextMessage();
        assertThat(reply.attributeValue("from")).isEqualTo("bob@b.test/phone");
        assertThat(reply.elementText("body")).isEqualTo("hi alice");

        // Self-signed certificates: neither side offers SASL EXTERNAL, both fall back to dialback.
        assertThat(a.s2s().outboundStatus("a.test", "b.test")).isEqualTo("ESTABLISHED by dialback");
        assertThat(b.s2s().outboundStatus("b.test", "a.test")).isEqualTo("ESTABLISHED by dialback");
    }

    /** RFC 6120 §8.2.3: IQ requests across domains get their responses back, to a server and to a client. */
    @Test
    void iqsCrossBothWays() throws Exception {
        startWithSelfSignedCertificates();
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");

        // XEP-0199 §4.2 (client-to-server ping) to the remote server itself.
        alice.send("<iq type='get' to='b.test' id='ping1'><ping xmlns='urn:xmpp:ping'/></iq>");
        Element pong = alice.next(e -> "ping1".equals(e.attributeValue("id")));
        assertThat(pong.attributeValue("type")).isEqualTo("result");
        assertThat(pong.attributeValue("from")).isEqualTo("b.test");

        // Client to client: bob asks alice, alice answers.
        bob.send("<iq type='get' to='alice@a.test/laptop' id='q1'><query xmlns='jabber:iq:version'/></iq>");
        Element request = alice.next(e -> "q1".equals(e.attributeValue("id")));
        assertThat(request.attributeValue("from")).isEqualTo("bob@b.test/phone");
        alice.send("<iq type='result' to='bob@b.test/phone' id='q1'><query xmlns='jabber:iq:version'>"
                + "<name>test</name></query></iq>");
        Element result = bob.next(e -> "q1".equals(e.attributeValue("id")));
        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("from")).isEqualTo("alice@a.test/laptop");
    }

    /** RFC 6120 §6 + XEP-0178: with certificates from a trusted CA both servers authenticate by SASL EXTERNAL. */
    @Test
    void saslExternalWithCertificatesFromATestCa() throws Exception {
        TestCa ca = new TestCa();
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        start(Map.of("a.test", ca.issueFiles("a.test", dir.resolve("certs-a"))),
                Map.of("b.test", ca.issueFiles("b.test", dir.resolve("certs-b"))),
                f -> f.withTrustedCaFile(caFile).withRequireValidCertificates(true),
                f -> f.withTrustedCaFile(caFile).withRequireValidCertificates(true));
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");

        alice.send("<message to='bob@b.test' type='chat' id='x1'><body>over EXTERNAL</body></message>");
        assertThat(bob.nextMessage().elementText("body")).isEqualTo("over EXTERNAL");
        bob.send("<message to='alice@a.test' type='chat' id='x2'><body>and back</body></message>");
        assertThat(alice.nextMessage().elementText("body")).isEqualTo("and back");

        assertThat(a.s2s().outboundStatus("a.test", "b.test")).isEqualTo("ESTABLISHED by sasl-external");
        assertThat(b.s2s().outboundStatus("b.test", "a.test")).isEqualTo("ESTABLISHED by sasl-external");
    }

    /** RFC 6120 §13.7.2 policy: a domain that must present a valid certificate cannot fall back to dialback. */
    @Test
    void aRequiredCertificateIsNotReplacedByDialback() throws Exception {
        start(Map.of(), Map.of(), f -> f.withPolicies(Map.of("b.test", FederationConfig.REQUIRE_CERTIFICATE)), f -> f);
        SocketClient alice = a.login("alice@a.test", "laptop");

        alice.send("<message to='bob@b.test' type='chat' id='p1'><body>refused</body></message>");
        Element bounce = alice.nextMessage();
        assertThat(bounce.attributeValue("type")).isEqualTo("error");
        assertThat(bounce.attributeValue("from")).isEqualTo("bob@b.test");
        assertThat(condition(bounce)).isEqualTo("remote-server-not-found");
    }

    /** RFC 6120 §8.3.3.15: an unreachable remote domain bounces to the sender with remote-server-not-found. */
    @Test
    void aDownRemoteDomainBouncesRemoteServerNotFound() throws Exception {
        int closedPort = FederatedServer.freePort("127.0.0.23");
        start(Map.of(), Map.of(), f -> f.withStaticRoutes(Map.of("down.test", "127.0.0.23:" + closedPort)), f -> f);
        SocketClient alice = a.login("alice@a.test", "laptop");

        alice.send("<message to='nobody@down.test' type='chat' id='d1'><body>anyone?</body></message>");
        Element bounce = alice.nextMessage();
        assertThat(bounce.attributeValue("id")).isEqualTo("d1");
        assertThat(bounce.attributeValue("type")).isEqualTo("error");
        assertThat(bounce.attributeValue("from")).isEqualTo("nobody@down.test");
        assertThat(condition(bounce)).isEqualTo("remote-server-not-found");
    }

    /** RFC 6120 §8.3.3.16: a remote server that never answers bounces queued stanzas with remote-server-timeout. */
    @Test
    void aConnectThatTimesOutBouncesRemoteServerTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            // Accepted by the kernel's backlog, never read: the stream header gets no answer.
            silent.bind(new InetSocketAddress("127.0.0.24", 0));
            start(Map.of(), Map.of(), f -> f.withStaticRoutes(Map.of("silent.test", "127.0.0.24:" + silent.getLocalPort()))
                    .withConnectTimeout(Duration.ofMillis(700)), f -> f);
            SocketClient alice = a.login("alice@a.test", "laptop");

            alice.send("<message to='x@silent.test' type='chat' id='t1'><body>1</body></message>");
            alice.send("<iq to='x@silent.test/r' type='get' id='t2'><ping xmlns='urn:xmpp:ping'/></iq>");
            Element first = alice.next(e -> "t1".equals(e.attributeValue("id")));
            Element second = alice.next(e -> "t2".equals(e.attributeValue("id")));
            assertThat(condition(first)).isEqualTo("remote-server-timeout");
            assertThat(condition(second)).isEqualTo("remote-server-timeout");
        }
    }

    /** RFC 6120 §4.9.3.9 and §13.1: a 'from' domain not authenticated on the stream ends it with invalid-from. */
    @Test
    void aForgedFromOnAnS2sStreamIsRejectedWithInvalidFrom() throws Exception {
        startWithSelfSignedCertificates();
        b.login("bob@b.test", "phone");
        try (RawS2sPeer peer = new RawS2sPeer(IP_B, b.server().s2sPort())) {
            String id = peer.openWithTls("a.test", "b.test");
            // A genuine dialback key for a.test: b.test verifies it with a.test's server.
            String key = new DialbackKeys(SECRET_A.getBytes(StandardCharsets.UTF_8)).key("b.test", "a.test", id);
            peer.send("<db:result from='a.test' to='b.test'>" + key + "</db:result>");
            peer.await("<db:result[^>]*type='valid'");

            peer.send("<message from='eve@evil.test' to='bob@b.test' type='chat'><body>spoofed</body></message>");
            peer.await("<invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
            peer.await("</stream:stream>");
        }
    }

    /** XEP-0220 §2.1.3 + §8.4: a key the authoritative server did not make is refused. */
    @Test
    void aWrongDialbackKeyIsRefused() throws Exception {
        startWithSelfSignedCertificates();
        try (RawS2sPeer peer = new RawS2sPeer(IP_B, b.server().s2sPort())) {
            peer.openWithTls("a.test", "b.test");
            peer.send("<db:result from='a.test' to='b.test'>" + "0".repeat(64) + "</db:result>");
            peer.await("<db:result[^>]*type='invalid'");
            // Not authenticated: a stanza from a.test is still refused.
            peer.send("<message from='alice@a.test' to='bob@b.test'><body>x</body></message>");
            peer.await("<invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        }
    }

    /** RFC 6120 §4.9.3.6: a stanza for a domain this server does not host ends the stream with host-unknown. */
    @Test
    void aStanzaForAnotherDomainIsRejectedWithHostUnknown() throws Exception {
        startWithSelfSignedCertificates();
        try (RawS2sPeer peer = new RawS2sPeer(IP_B, b.server().s2sPort())) {
            String id = peer.openWithTls("a.test", "b.test");
            String key = new DialbackKeys(SECRET_A.getBytes(StandardCharsets.UTF_8)).key("b.test", "a.test", id);
            peer.send("<db:result from='a.test' to='b.test'>" + key + "</db:result>");
            peer.await("<db:result[^>]*type='valid'");
            peer.send("<message from='alice@a.test' to='carol@c.test'><body>relay?</body></message>");
            peer.await("<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        }
    }

    /** RFC 6120 §5.3.1: STARTTLS is mandatory-to-negotiate; a stanza before it ends the stream. */
    @Test
    void stanzasBeforeStartTlsAreRefused() throws Exception {
        startWithSelfSignedCertificates();
        try (RawS2sPeer peer = new RawS2sPeer(IP_B, b.server().s2sPort())) {
            peer.send(RawS2sPeer.header("a.test", "b.test"));
            peer.await("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");
            peer.send("<db:result from='a.test' to='b.test'>abc</db:result>");
            peer.await("<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        }
    }

    /** XEP-0368: an outbound stream over direct TLS to the s2s_direct_tls listener. */
    @Test
    void directTlsRoute() throws Exception {
        int portA = FederatedServer.freePort(IP_A);
        int portB = FederatedServer.freePort(IP_B);
        int directB = FederatedServer.freePort(IP_B);
        a = new FederatedServer(FederatedServer.config("a.test", IP_A, portA, dir.resolve("a"), Map.of(),
                f -> f.withStaticRoutes(Map.of("b.test", "xmpps://" + IP_B + ":" + directB))), IP_A);
        closeables.add(a);
        b = new FederatedServer(FederatedServer.config("b.test", IP_B, portB, dir.resolve("b"), Map.of(),
                f -> f.withStaticRoutes(Map.of("a.test", IP_A + ":" + portA))
                        .withDirectTls(im.parley.server.config.ListenerConfig.on(IP_B, directB))), IP_B);
        closeables.add(b);
        a.user("alice@a.test");
        b.user("bob@b.test");
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");

        alice.send("<message to='bob@b.test' type='chat' id='dt'><body>direct</body></message>");
        assertThat(bob.nextMessage().elementText("body")).isEqualTo("direct");
    }

    /** Idle outbound streams close after federation.idle_timeout and reopen on demand. */
    @Test
    void idleStreamsCloseAndReopenOnDemand() throws Exception {
        start(Map.of(), Map.of(), f -> f.withIdleTimeout(Duration.ofSeconds(1)), f -> f);
        SocketClient alice = a.login("alice@a.test", "laptop");
        SocketClient bob = b.login("bob@b.test", "phone");
        alice.send("<message to='bob@b.test' type='chat'><body>one</body></message>");
        assertThat(bob.nextMessage().elementText("body")).isEqualTo("one");

        await().atMost(Duration.ofSeconds(10)).until(() -> a.s2s().outboundStatus("a.test", "b.test").equals("NONE"));

        alice.send("<message to='bob@b.test' type='chat'><body>two</body></message>");
        assertThat(bob.nextMessage().elementText("body")).isEqualTo("two");
    }

    private static String condition(Element errorStanza) {
        Element error = errorStanza.element("error");
        assertThat(error).as("error child of %s", errorStanza.asXML()).isNotNull();
        return error.elements().get(0).getName();
    }
}
