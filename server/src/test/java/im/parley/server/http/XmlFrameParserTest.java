package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.XmlLimits;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One frame, one element (XEP-0124 §4: a request body is one {@code <body/>}; RFC 7395 §3.3.3:
 * a WebSocket message is one complete, namespace well-formed element). The frame fuzz tests
 * ({@link BoshBodyFuzzTest}, {@link XmppFramingDecoderFuzzTest}) check every accepted frame against
 * the JDK's own parser; what that check caught has its seed there and its answer here.
 */
class XmlFrameParserTest {

    private static final String BODY = "<body rid='1' xmlns='http://jabber.org/protocol/httpbind'/>";

    private static XmlFrameParser.Result parse(String frame, int maxBytes) {
        return XmlFrameParser.parse(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)), new XmlLimits(maxBytes, 8));
    }

    private static XmlFrameParser.Result parse(String frame) {
        return parse(frame, 1024);
    }

    private static StreamErrorCondition condition(String frame) {
        XmlFrameParser.Result result = parse(frame);
        assertThat(result.element()).as("accepted %s", frame).isNull();
        return result.error().condition();
    }

    @Test
    void oneElementWithWhitespaceAround() {
        Element element = parse("\n " + BODY + " \r\n").element();
        assertThat(element.getName()).isEqualTo("body");
        assertThat(element.attributeValue("rid")).isEqualTo("1");
    }

    /**
     * Caught by the fuzz tests' check: the frame closed the parser's synthetic stream, and what
     * followed was ignored, so a body with trailing content passed as if it were one element.
     */
    @ParameterizedTest
    @ValueSource(strings = {"</stream:stream><garbage", "</stream:stream>", "</stream>"})
    void aFrameCannotEndTheStreamItIsParsedIn(String trailer) {
        assertThat(condition(BODY + trailer)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    /**
     * Found by fuzzing: the size limit was the frame limit plus the length of the parser's
     * synthetic stream header, so an element up to that much larger passed. RFC 6120 §4.9.3.14:
     * over the limit is {@code policy-violation}, by one byte as by a hundred.
     */
    @Test
    void anElementJustOverTheLimitIsAPolicyViolation() {
        String body = "<body rid='1' xmlns='http://jabber.org/protocol/httpbind'><x a='";
        String frame = body + "y".repeat(1030 - body.length()) + "'/></body>";
        assertThat(frame.length()).isGreaterThan(1024).isLessThan(1124);
        assertThat(condition(frame)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(parse(frame, frame.length()).element()).as("at the limit it passes").isNotNull();
    }

    /** Found by fuzzing: a character reference outside the element passed as whitespace. */
    @ParameterizedTest
    @ValueSource(strings = {"&#9;" + BODY, BODY + "&#32;", "x" + BODY, BODY + "\n&#10;\n"})
    void nothingButLiteralWhitespaceAroundTheElement(String frame) {
        assertThat(condition(frame)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void trailingTextOrElementsAreRefused() {
        assertThat(condition(BODY + "text>")).isEqualTo(StreamErrorCondition.BAD_FORMAT);
        assertThat(condition(BODY + BODY)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(condition(BODY + "<body")).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    /**
     * Caught by the fuzz tests' check: a frame could use the {@code stream:} prefix of the
     * parser's synthetic stream without declaring it; a frame must declare every prefix it uses
     * (Namespaces in XML §5: an undeclared prefix is an error, so {@code not-well-formed},
     * RFC 6120 §4.9.3.13).
     */
    @Test
    void aFrameMustDeclareItsPrefixes() {
        assertThat(condition("<stream:features/>")).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        Element declared = parse("<stream:features xmlns:stream='" + Namespaces.STREAMS + "'/>").element();
        assertThat(declared.getNamespaceURI()).isEqualTo(Namespaces.STREAMS);
    }

    /** XML 1.0 §2.8: the declaration a BOSH body may begin with, at its very start only. */
    @ParameterizedTest
    @ValueSource(strings = {"<?xml version='1.0'?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n", "<?xml  version = '1.0'  ?>"})
    void xmlDeclarationIsSkipped(String declaration) {
        assertThat(parse(declaration + BODY).element()).isNotNull();
    }

    /**
     * Caught by the fuzz tests' check: anything between {@code <?xml} and {@code ?>}, even after
     * leading whitespace, passed as a declaration. What is not one is a processing instruction:
     * {@code restricted-xml} (RFC 6120 §11.1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"<?xml garbage?>", "<?xml version='2'?>", "<?xml encoding='UTF-8' version='1.0'?>",
        " <?xml version='1.0'?>", "<?xml version='1.0' encoding='UTF-16'?>"})
    void anythingElseIsRestrictedXml(String declaration) {
        assertThat(condition(declaration + BODY)).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
    }

    /**
     * Found while writing the WebSocket fuzz test: a limit near Integer.MAX_VALUE ("unlimited"
     * {@code http.max_request_size} or {@code limits.max_stanza_size}) overflowed once the
     * synthetic header was added, and every frame failed with an IllegalArgumentException.
     */
    @Test
    void unlimitedSizeDoesNotOverflow() {
        assertThat(parse(BODY, Integer.MAX_VALUE).element()).isNotNull();
    }
}
