package im.parley.s2s;

import static im.parley.s2s.TestS2sRouters.LOCAL;
import static im.parley.s2s.TestS2sRouters.MAX_BYTES;
import static im.parley.s2s.TestS2sRouters.REMOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.routing.Stanza;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.SelfSignedCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0478 on Parley's inbound server-to-server streams: {@code <limits/>} (§3.1) is in the
 * stream features only once the figure in it holds for the rest of the stream, that is after the
 * peer authenticated (the SASL EXTERNAL restart, RFC 6120 §6.4.6); before, the stream has a
 * smaller limit that dialback raises without new features ({@link InboundStreamLimitsFeature}).
 * The announced max-bytes is the one enforced, to the byte.
 */
class InboundStreamLimitsTest {

    private static final String LIMITS_NS = "urn:xmpp:stream-limits:0";

    private final List<Stanza> routedLocally = new CopyOnWriteArrayList<>();
    private final KeyMaterial remoteKey = SelfSignedCertificates.generate(REMOTE);
    private InboundListener listener;

    @BeforeEach
    void start() throws Exception {
        listener = InboundListener.start(List.of(remoteKey.leaf()), routedLocally::add);
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
    }

    @Test
    void limitsAreAnnouncedOnceThePeerIsAuthenticatedAndHoldToTheByte() throws Exception {
        try (ScriptedS2sPeer peer = listener.connect()) {
            peer.send(ScriptedS2sPeer.header(REMOTE, LOCAL, null));
            assertThat(peer.readThrough("</stream:features>")).contains("<starttls").doesNotContain(LIMITS_NS);

            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.readThrough("<proceed[^>]*/>");
            peer.startTls(remoteKey, false);
            peer.send(ScriptedS2sPeer.header(REMOTE, LOCAL, null));
            assertThat(peer.readThrough("</stream:features>"))
                    .contains("EXTERNAL").contains("urn:xmpp:features:dialback").doesNotContain(LIMITS_NS);

            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
                    + Base64.getEncoder().encodeToString(REMOTE.getBytes(StandardCharsets.UTF_8)) + "</auth>");
            peer.readThrough("<success[^>]*/>");
            peer.send(ScriptedS2sPeer.header(REMOTE, LOCAL, null));
            assertThat(peer.readThrough("</stream:features>")).contains("<limits xmlns='" + LIMITS_NS + "'><max-bytes>"
                    + MAX_BYTES + "</max-bytes><idle-seconds>60</idle-seconds></limits>");

            peer.send(messageOfBytes("fits", MAX_BYTES));
            await().atMost(Duration.ofSeconds(10)).until(() -> routedLocally.stream().anyMatch(s -> "fits".equals(s.id())));
            peer.send(messageOfBytes("over", MAX_BYTES + 1));
            peer.readThrough("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        }
        assertThat(routedLocally).extracting(Stanza::id).containsExactly("fits");
    }

    /** A message from the peer's domain whose bytes on the wire are exactly {@code bytes}. */
    private static String messageOfBytes(String id, int bytes) {
        String head = "<message from='juliet@" + REMOTE + "' to='romeo@" + LOCAL + "' id='" + id + "'><body>";
        String tail = "</body></message>";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }
}
