package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.xml.XmppStreamDecoder;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated client stream that reads nothing for {@link C2sStreamHandler#DEFAULT_PARSER_IDLE_DELAY}
 * gives back its XML parser and keeps working as before: stanzas (RFC 6120 §8), a stanza split
 * across reads, whitespace keepalives (§4.6.1) and the stream close (§4.4). Time is the
 * embedded channel's, frozen and advanced by the test.
 */
class IdleParserReleaseTest {

    private static final long DELAY_SECONDS = C2sStreamHandler.DEFAULT_PARSER_IDLE_DELAY.toSeconds();

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private XmppStreamDecoder decoder;

    @BeforeEach
    void login() throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
        juliet = server.login("juliet@parley.test", "balcony");
        juliet.channel().freezeTime();
        decoder = juliet.channel().pipeline().get(XmppStreamDecoder.class);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void parserIsReleasedAfterTheIdleDelay() {
        idle(DELAY_SECONDS - 1);
        assertThat(decoder.isParserReleased()).isFalse();
        idle(1);
        assertThat(decoder.isParserReleased()).isTrue();
    }

    @Test
    void stanzasAfterAReleaseAreDelivered() {
        idle(DELAY_SECONDS);
        assertThat(decoder.isParserReleased()).isTrue();

        juliet.send("<message to='romeo@parley.test/orchard' type='chat' id='m1'><body>one</body></message>");

        assertThat(decoder.isParserReleased()).isFalse();
        assertThat(romeo.stanzas()).singleElement().satisfies(m -> assertMessage(m, "one"));
        String ping = juliet.send("<iq type='get' id='p1' to='parley.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(ping).contains("id='p1'").contains("type='result'");
    }

    @Test
    void stanzaSplitAcrossReadsIsNotCutByTheIdleCheck() {
        idle(DELAY_SECONDS);
        juliet.send("<message to='romeo@parley.test/orchard' ty");
        juliet.send("pe='chat' id='m2'><bo");
        idle(DELAY_SECONDS);
        idle(DELAY_SECONDS);
        // Mid-stanza the release is refused, and nothing is scheduled until the next read.
        assertThat(decoder.isParserReleased()).isFalse();
        juliet.send("dy>two</body></mess");
        juliet.send("age>");

        assertThat(romeo.stanzas()).singleElement().satisfies(m -> assertMessage(m, "two"));
        idle(DELAY_SECONDS);
        assertThat(decoder.isParserReleased()).isTrue();
    }

    @Test
    void readsPostponeTheRelease() {
        idle(DELAY_SECONDS);
        juliet.send("<presence/>");
        idle(DELAY_SECONDS - 5);
        juliet.send(" ");
        idle(5);
        assertThat(decoder.isParserReleased()).isFalse();
        idle(DELAY_SECONDS);
        assertThat(decoder.isParserReleased()).isTrue();
    }

    @Test
    void keepalivesDoNotRebuildTheParser() {
        idle(DELAY_SECONDS);
        juliet.send("\n");
        juliet.send(" ");
        assertThat(decoder.isParserReleased()).isTrue();
        juliet.send("<message to='romeo@parley.test/orchard' type='chat' id='m3'><body>three</body></message>");
        assertThat(romeo.stanzas()).singleElement().satisfies(m -> assertMessage(m, "three"));
    }

    @Test
    void streamCloseAfterAReleaseClosesTheStream() {
        idle(DELAY_SECONDS);
        String reply = juliet.send("</stream:stream>");
        assertThat(reply).contains("</stream:stream>");
        assertThat(juliet.isOpen()).isFalse();
    }

    @Test
    void notWellFormedInputAfterAReleaseIsAStreamError() {
        // RFC 6120 §4.9.3.13: the rebuilt parser judges the bytes as the original would.
        idle(DELAY_SECONDS);
        String reply = juliet.send("<message><body></message>");
        assertThat(reply).contains("<not-well-formed");
        assertThat(juliet.isOpen()).isFalse();
    }

    private void idle(long seconds) {
        juliet.channel().advanceTimeBy(seconds, TimeUnit.SECONDS);
        juliet.channel().runScheduledPendingTasks();
    }

    private static void assertMessage(Element message, String body) {
        assertThat(message.getName()).isEqualTo("message");
        assertThat(message.attributeValue("from")).isEqualTo("juliet@parley.test/balcony");
        assertThat(message.elementText("body")).isEqualTo(body);
    }
}
