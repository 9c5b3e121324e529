package im.parley.s2s;

import static im.parley.s2s.TestS2sRouters.LOCAL;
import static im.parley.s2s.TestS2sRouters.REMOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.tls.SelfSignedCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0478 on Parley's outbound server-to-server streams: the receiving server's
 * {@code <limits><max-bytes/>} (§3.1) is honoured. A stanza larger than it is not sent, which
 * would cost the whole stream (RFC 6120 §4.9.3.14), but bounced to its sender with
 * {@code policy-violation} (§4); the stanzas behind it still go, in order, on the same stream.
 * The peer is scripted over a loopback socket.
 */
class OutboundStreamLimitsTest {

    private static final String ALICE = "alice@" + LOCAL + "/desk";
    private static final String BOB = "bob@" + REMOTE;
    private static final String DIALBACK_FEATURE = "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";

    private final List<Stanza> routedLocally = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private ServerSocket listener;
    private S2sRouter router;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        router = TestS2sRouters.start(group, Map.of(REMOTE, "127.0.0.1:" + listener.getLocalPort()), false,
                List.of(), Duration.ofMinutes(5), routedLocally::add);
    }

    @AfterEach
    void stop() throws Exception {
        router.stop();
        listener.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** XEP-0478 §4: too large for the peer's max-bytes, on an established stream: bounced, the stream goes on. */
    @Test
    void aStanzaOverThePeersMaxBytesIsBouncedAndTheNextOneIsDelivered() throws Exception {
        try (ScriptedS2sPeer peer = establishedWith(limits(1000))) {
            router.route(message("m1", "x".repeat(2000)));
            router.route(message("m2", "small"));
            assertThat(ids(peer.readThrough(idIs("m2")))).containsExactly("m2");
            assertPolicyViolationBounce(bounceOf("m1"), 1000);

            // The stream is the same one, up and in use.
            assertThat(router.outboundStatus(LOCAL, REMOTE)).isEqualTo("ESTABLISHED by dialback");
            router.route(message("m3", "still here"));
            String received = peer.readThrough(idIs("m3"));
            assertThat(ids(received)).containsExactly("m3");
            assertThat(received).doesNotContain("<stream:error");
        }
        assertThat(routedLocally).hasSize(1);
    }

    /** XEP-0478 §4: the queue flushed when the stream is established is checked as well, in order. */
    @Test
    void aQueuedStanzaOverThePeersMaxBytesIsBouncedWhenTheStreamIsEstablished() throws Exception {
        router.route(message("q1", "x".repeat(2000)));
        router.route(message("q2", "small"));
        try (ScriptedS2sPeer peer = ScriptedS2sPeer.accept(listener)) {
            acceptByDialback(peer, limits(1000));
            assertThat(ids(peer.readThrough(idIs("q2")))).containsExactly("q2");
            assertPolicyViolationBounce(bounceOf("q1"), 1000);
        }
    }

    /**
     * XEP-0478 §4 ("the limits on a stream [may] change whenever new stream features are
     * announced"): the features after the TLS restart replace those before it.
     */
    @Test
    void theLimitOfTheLatestFeaturesHolds() throws Exception {
        router.route(message("t0", "hello"));
        try (ScriptedS2sPeer peer = ScriptedS2sPeer.accept(listener)) {
            peer.readThrough("<stream:stream[^>]*>");
            peer.send(ScriptedS2sPeer.header(REMOTE, LOCAL, "before-tls")
                    + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + limits(300)
                    + "</stream:features>");
            peer.readThrough("<starttls[^>]*/>");
            peer.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.startTls(SelfSignedCertificates.generate(REMOTE), true);
            acceptByDialback(peer, limits(1000));
            peer.readThrough(idIs("t0"));

            router.route(message("t1", "x".repeat(600)));
            router.route(message("t2", "x".repeat(2000)));
            router.route(message("t3", "small"));
            assertThat(ids(peer.readThrough(idIs("t3")))).containsExactly("t1", "t3");
            assertPolicyViolationBounce(bounceOf("t2"), 1000);
        }
    }

    /** Without {@code <limits/>} in the features nothing is held back. */
    @Test
    void withoutAdvertisedLimitsLargeStanzasGo() throws Exception {
        router.route(message("u1", "x".repeat(20_000)));
        try (ScriptedS2sPeer peer = ScriptedS2sPeer.accept(listener)) {
            acceptByDialback(peer, "");
            assertThat(ids(peer.readThrough(idIs("u1")))).containsExactly("u1");
        }
        assertThat(routedLocally).isEmpty();
    }

    /**
     * XEP-0478 §4 and RFC 6120 §8.3.1, §8.2.3: an error stanza, or an IQ result, that is too large
     * is dropped, not answered with an error.
     */
    @Test
    void tooLargeErrorsAndIqResultsAreDroppedWithoutABounce() throws Exception {
        try (ScriptedS2sPeer peer = establishedWith(limits(1000))) {
            router.route(stanza("<message xmlns='jabber:client' from='" + ALICE + "' to='" + BOB
                    + "' id='e1' type='error'><body>" + "x".repeat(2000) + "</body><error type='cancel'>"
                    + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"));
            router.route(stanza("<iq xmlns='jabber:client' from='" + ALICE + "' to='" + BOB + "/phone' id='e2'"
                    + " type='result'><query xmlns='jabber:iq:version'><name>" + "x".repeat(2000)
                    + "</name></query></iq>"));
            router.route(message("e3", "small"));
            assertThat(ids(peer.readThrough(idIs("e3")))).containsExactly("e3");
        }
        // A bounce is routed before the next stanza is written, so none will come.
        assertThat(routedLocally).isEmpty();
    }

    /** A stream set up by a first stanza, which the peer has received: it is established. */
    private ScriptedS2sPeer establishedWith(String limits) throws Exception {
        router.route(message("first", "hello"));
        ScriptedS2sPeer peer = ScriptedS2sPeer.accept(listener);
        acceptByDialback(peer, limits);
        peer.readThrough(idIs("first"));
        return peer;
    }

    /** The peer's side of XEP-0220 §2.1: features, then it accepts our db:result without asking anyone. */
    private static void acceptByDialback(ScriptedS2sPeer peer, String limits) throws Exception {
        peer.readThrough("<stream:stream[^>]*>");
        peer.send(ScriptedS2sPeer.header(REMOTE, LOCAL, "peer-stream") + "<stream:features>" + DIALBACK_FEATURE
                + limits + "</stream:features>");
        peer.readThrough("</db:result>");
        peer.send("<db:result from='" + REMOTE + "' to='" + LOCAL + "' type='valid'/>");
    }

    /** XEP-0478 §3.1. */
    private static String limits(int maxBytes) {
        return "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>" + maxBytes + "</max-bytes></limits>";
    }

    private static String idIs(String id) {
        return "<message[^>]*\\sid=['\"]" + id + "['\"].*?</message>";
    }

    /** The ids of the stanzas in {@code xml}, in order. */
    private static List<String> ids(String xml) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("<(?:message|iq|presence)\\s[^>]*\\bid=['\"]([^'\"]+)['\"]").matcher(xml);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static Stanza message(String id, String body) throws Exception {
        return stanza("<message xmlns='jabber:client' from='" + ALICE + "' to='" + BOB + "' id='" + id
                + "' type='chat'><body>" + body + "</body></message>");
    }

    private static Stanza stanza(String xml) throws Exception {
        Element element = DocumentHelper.parseText(xml).getRootElement();
        return new Stanza(element, JidCreate.from(element.attributeValue("from")),
                JidCreate.from(element.attributeValue("to")));
    }

    private Element bounceOf(String id) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> routedLocally.stream().filter(s -> id.equals(s.id())).findFirst(), Optional::isPresent)
                .orElseThrow().element();
    }

    /** XEP-0478 §4: policy-violation, no 'by' (the policy is not ours), a text naming the limit. */
    private static void assertPolicyViolationBounce(Element bounce, int limit) {
        assertThat(bounce.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(bounce.attributeValue("type")).isEqualTo("error");
        assertThat(bounce.attributeValue("to")).isEqualTo(ALICE);
        assertThat(bounce.attributeValue("from")).isEqualTo(BOB);
        Element error = bounce.element("error");
        assertThat(error).as(bounce.asXML()).isNotNull();
        assertThat(error.attributeValue("type")).isEqualTo("modify");
        assertThat(error.attributeValue("by")).isNull();
        assertThat(error.element("policy-violation")).as(bounce.asXML()).isNotNull();
        assertThat(error.elementText("text")).contains(REMOTE).contains(Integer.toString(limit));
    }
}
