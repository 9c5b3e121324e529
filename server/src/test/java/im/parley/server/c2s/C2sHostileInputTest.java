package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import im.parley.core.xml.XmlLimits;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Hostile input from an authenticated client through the c2s pipeline (decoder, stream
 * processor, session), each case named with the stream error RFC 6120 gives it: ill-formed
 * UTF-8 is {@code unsupported-encoding} (§4.9.3.22, §11.6), a character XML 1.0 does not allow
 * (§2.2) is {@code not-well-formed} (§4.9.3.13), too many attributes, namespace declarations or
 * names is {@code policy-violation} (§4.9.3.14). Each ends the stream (§4.9.1.1: "the entity
 * that detects the error ... MUST close the stream"), delivers nothing it did not parse, and
 * leaves one log line without a stack trace: a client's fault is never
 * {@code internal-server-error}.
 */
class C2sHostileInputTest {

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void login() throws Exception {
        server = new TestServer(dir, "parley.test");
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
        juliet = server.login("juliet@parley.test", "balcony");
        juliet.stanzas();
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        server.close();
    }

    /** A chat message to juliet whose body is {@code before}, the raw bytes, then {@code after}. */
    private static byte[] messageWith(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("<message to='juliet@parley.test/balcony' type='chat' id='m1'><body>" + before)
                .getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes((after + "</body></message>").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The stream ended with this condition, the connection closed, and the log says so once, without a trace. */
    private void assertStreamError(String reply, String condition) {
        assertThat(reply).contains("<stream:error><" + condition + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                .doesNotContain("internal-server-error").endsWith("</stream:stream>");
        assertThat(romeo.isOpen()).isFalse();
        assertThat(log.list).filteredOn(e -> e.getThrowableProxy() != null).isEmpty();
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains(condition)).hasSize(1);
    }

    @Test
    void overlongLessThanC0BcIsUnsupportedEncoding() {
        // Decoded leniently, C0 BC is '<': here it would have closed the body and smuggled in an element.
        String reply = romeo.send(messageWith("hi ", new int[] {0xC0, 0xBC}, "/body><x/><body>"));
        assertStreamError(reply, "unsupported-encoding");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void overlongLessThanE080BcIsUnsupportedEncoding() {
        assertStreamError(romeo.send(messageWith("hi ", new int[] {0xE0, 0x80, 0xBC}, "")), "unsupported-encoding");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void codePointAboveU10ffffF4908080IsUnsupportedEncodingNotDropped() {
        assertStreamError(romeo.send(messageWith("a", new int[] {0xF4, 0x90, 0x80, 0x80}, "b")), "unsupported-encoding");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void surrogateEda080IsUnsupportedEncoding() {
        assertStreamError(romeo.send(messageWith("a", new int[] {0xED, 0xA0, 0x80}, "b")), "unsupported-encoding");
    }

    @Test
    void nulInTextIsNotWellFormedNotInternalServerError() {
        assertStreamError(romeo.send(messageWith("a", new int[] {0x00}, "b")), "not-well-formed");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F})
    void controlCharacterIsNotWellFormed(int c) {
        assertStreamError(romeo.send(messageWith("a", new int[] {c}, "b")), "not-well-formed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a]]>b", "&#xD800;", "&#x110000;", "&#0;"})
    void forbiddenSequenceOrReferenceInTextIsNotWellFormedNotInternalServerError(String text) {
        assertStreamError(romeo.send(messageWith(text, new int[0], "")), "not-well-formed");
    }

    @Test
    void elementWithMoreAttributesThanTheLimitIsPolicyViolation() {
        StringBuilder tag = new StringBuilder("<message to='juliet@parley.test/balcony'");
        for (int i = 0; i < XmlLimits.DEFAULT_MAX_ATTRIBUTES; i++) {
            tag.append(" a").append(i).append("='v'");
        }
        assertStreamError(romeo.send(tag + "><body>x</body></message>"), "policy-violation");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void stanzaWithMoreNamespaceDeclarationsThanTheLimitIsPolicyViolation() {
        StringBuilder stanza = new StringBuilder("<message to='juliet@parley.test/balcony'>");
        for (int i = 0; i <= XmlLimits.DEFAULT_MAX_NAMESPACE_DECLARATIONS; i++) {
            stanza.append("<x xmlns='urn:x:").append(i).append("'/>");
        }
        assertStreamError(romeo.send(stanza + "</message>"), "policy-violation");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void stanzaWithMoreDistinctNamesThanTheLimitIsPolicyViolation() {
        StringBuilder stanza = new StringBuilder("<message to='juliet@parley.test/balcony'>");
        for (int i = 0; i < XmlLimits.DEFAULT_MAX_NAMES; i++) {
            stanza.append("<n").append(i).append("/>");
        }
        assertStreamError(romeo.send(stanza + "</message>"), "policy-violation");
        assertThat(juliet.stanzas()).isEmpty();
    }

    @Test
    void newNamesInEveryStanzaKeepTheSessionWorking() {
        // 60 stanzas of 100 new names each: the parser is rebuilt several times under the session.
        int name = 0;
        for (int s = 0; s < 60; s++) {
            StringBuilder stanza = new StringBuilder("<message to='juliet@parley.test/balcony' type='chat' id='s" + s
                    + "'><body>" + s + "</body><x xmlns='urn:example:names'>");
            for (int i = 0; i < 100; i++) {
                stanza.append("<n").append(name++).append("/>");
            }
            romeo.send(stanza + "</x></message>");
        }
        assertThat(romeo.isOpen()).isTrue();
        assertThat(juliet.stanzas()).hasSize(60).allSatisfy(m -> assertThat(m.element("x").elements()).hasSize(100))
                .extracting(m -> m.elementText("body")).endsWith("58", "59");
        String pong = romeo.send("<iq type='get' id='p1' to='parley.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(pong).contains("id='p1'").contains("type='result'");
    }

    @Test
    void realisticRichStanzasPass() {
        // A Jingle candidate (XEP-0176) and a data form (XEP-0004), the attribute-heavy payloads in use.
        String stanza = "<iq to='juliet@parley.test/balcony' type='set' id='j1'>"
                + "<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='a73sjjvkla37jfea'>"
                + "<content creator='initiator' name='voice'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'"
                + " pwd='asd88fgpdd777uzjYhagZg' ufrag='8hhy'><candidate component='1' foundation='1' generation='0'"
                + " id='el0747fg11' ip='10.0.1.1' network='1' port='8998' priority='2130706431' protocol='udp'"
                + " type='host' rel-addr='10.0.1.1' rel-port='8998'/></transport></content></jingle></iq>";
        romeo.send(stanza);
        Element received = juliet.stanzas().get(0);
        assertThat(received.element("jingle").element("content").element("transport").element("candidate")
                .attributeCount()).isEqualTo(12);
        assertThat(romeo.isOpen()).isTrue();
    }
}
