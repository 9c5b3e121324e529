package im.parley.core.xml;

import static im.parley.core.xml.DecoderHarness.HEADER;
import static im.parley.core.xml.DecoderHarness.faultOf;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.StreamErrorCondition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input at the decoder, each case named with the stream error RFC 6120 gives it:
 * ill-formed UTF-8 is {@code unsupported-encoding} (§4.9.3.22: "has otherwise improperly
 * encoded the stream (e.g., by violating the rules of the [UTF-8] encoding)"; §11.6); a
 * character outside XML 1.0's Char production (§2.2) is {@code not-well-formed} (§4.9.3.13);
 * too many attributes, namespace declarations or names are {@code policy-violation}
 * (§4.9.3.14, §13.12 on denial of service). No such input may escape as an exception, which
 * the server would answer with {@code internal-server-error}.
 */
class XmppStreamDecoderHostileInputTest {

    private static final XmlLimits LIMITS = new XmlLimits(256 * 1024, 64, 10, 20, 30);

    /** The header, a complete presence, then {@code raw} inside a message body. */
    private static byte[] inBody(int... raw) {
        return concat(HEADER + "<presence/><message><body>a", raw, "b</body></message>");
    }

    private static byte[] concat(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Decodes {@code bytes} split at every position (and whole); each run must give the same output. */
    private static List<String> decodeAtEverySplit(XmlLimits limits, byte[] bytes) {
        List<String> whole = DecoderHarness.describe(limits, bytes);
        for (int i = 1; i < bytes.length; i++) {
            assertThat(DecoderHarness.describe(limits, Arrays.copyOfRange(bytes, 0, i),
                    Arrays.copyOfRange(bytes, i, bytes.length))).as("split at %d", i).isEqualTo(whole);
        }
        return whole;
    }

    static Stream<Arguments> illFormedUtf8() {
        return Stream.of(
                Arguments.of("overlong '<' C0 BC", new int[] {0xC0, 0xBC}),
                Arguments.of("overlong '<' E0 80 BC", new int[] {0xE0, 0x80, 0xBC}),
                Arguments.of("overlong '<' F0 80 80 BC", new int[] {0xF0, 0x80, 0x80, 0xBC}),
                Arguments.of("overlong C1 BF", new int[] {0xC1, 0xBF}),
                Arguments.of("above U+10FFFF F4 90 80 80", new int[] {0xF4, 0x90, 0x80, 0x80}),
                Arguments.of("lead byte F5", new int[] {0xF5, 0x80, 0x80, 0x80}),
                Arguments.of("byte FF", new int[] {0xFF}),
                Arguments.of("surrogate U+D800 ED A0 80", new int[] {0xED, 0xA0, 0x80}),
                Arguments.of("surrogate U+DFFF ED BF BF", new int[] {0xED, 0xBF, 0xBF}),
                Arguments.of("stray continuation byte 80", new int[] {0x80}),
                Arguments.of("stray continuation after a character", new int[] {0xC3, 0xA9, 0xA9}),
                Arguments.of("truncated E2 82 before ASCII", new int[] {0xE2, 0x82}),
                Arguments.of("truncated F0 9F 98 before ASCII", new int[] {0xF0, 0x9F, 0x98}),
                Arguments.of("lead byte after a lead byte", new int[] {0xC3, 0xC3, 0xA9}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormedUtf8")
    void illFormedUtf8IsUnsupportedEncoding(String name, int[] raw) {
        List<String> out = decodeAtEverySplit(LIMITS, inBody(raw));
        // Whatever the reads, the presence before the bad bytes is decoded, then the stream fails.
        assertThat(out).hasSize(3);
        assertThat(out.get(1)).isEqualTo("<presence xmlns='jabber:client'/>");
        assertThat(out.get(2)).isEqualTo("fault:unsupported-encoding");
    }

    @Test
    void overlongLessThanBetweenStanzasIsUnsupportedEncodingNotATag() {
        // C0 BC decodes leniently to '<': it must never open a tag the filters did not see.
        byte[] bytes = concat(HEADER + "<presence/>", new int[] {0xC0, 0xBC}, "presence/>");
        assertThat(DecoderHarness.describe(LIMITS, bytes)).containsExactly(
                "StreamOpen[to=example.com, from=null, id=null, version=1.0, lang=null, contentNamespace=jabber:client, namespaces={}]",
                "<presence xmlns='jabber:client'/>", "fault:unsupported-encoding");
    }

    @Test
    void illFormedUtf8InTheStreamHeaderIsUnsupportedEncoding() {
        byte[] bytes = concat("<?xml version='1.0'?><stream:stream to='", new int[] {0xE0, 0x80, 0xBC},
                "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
        assertThat(decodeAtEverySplit(LIMITS, bytes)).containsExactly("fault:unsupported-encoding");
    }

    @Test
    void wellFormedUtf8OfEveryLengthAndAtTheEdgesPasses() {
        // U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFD, U+10000, U+10FFFF.
        String text = "\u007f\u0080\u07ff\u0800\ud7ff\ue000\ufffd\ud800\udc00\udbff\udfff caf\u00e9 \u20ac";
        byte[] bytes = (HEADER + "<message><body>" + text + "</body></message>").getBytes(StandardCharsets.UTF_8);
        List<String> out = decodeAtEverySplit(LIMITS, bytes);
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).contains(text);
    }

    static IntStream controlCharacters() {
        return IntStream.range(0, 0x20).filter(c -> c != '\t' && c != '\n' && c != '\r');
    }

    @ParameterizedTest(name = "U+{0}")
    @MethodSource("controlCharacters")
    void controlCharacterInTextIsNotWellFormed(int c) {
        List<String> out = decodeAtEverySplit(LIMITS, inBody(c));
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo("fault:not-well-formed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<message to='a\u0000b'/>", "<mess\u0000age/>", "<message>\u0001</message>", "\u0000",
        "<message a\u001f='1'/>"})
    void nulOrControlCharacterAnywhereIsNotWellFormed(String stanza) {
        var out = new DecoderHarness(LIMITS).write(HEADER + "<presence/>" + stanza).read();
        assertThat(out).hasSize(3);
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void nonCharactersFffeAndFfffAreNotWellFormed() {
        assertThat(decodeAtEverySplit(LIMITS, inBody(0xEF, 0xBF, 0xBE)).get(2)).isEqualTo("fault:not-well-formed");
        assertThat(decodeAtEverySplit(LIMITS, inBody(0xEF, 0xBF, 0xBF)).get(2)).isEqualTo("fault:not-well-formed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"&#0;", "&#1;", "&#xFFFE;", "&#xD800;", "&#x110000;", "a]]>b"})
    void forbiddenCharacterReferenceOrSequenceInTextIsNotWellFormed(String text) {
        // Aalto reads text lazily and reports these unchecked; they used to escape as exceptions.
        var out = new DecoderHarness(LIMITS).write(HEADER + "<message><body>" + text + "</body></message>").read();
        assertThat(out).hasSize(2);
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void tabLineFeedAndCarriageReturnPass() {
        var out = new DecoderHarness(LIMITS).write(HEADER + "<message\ta='1'\r\n><body>x\ty\r\nz</body></message>").read();
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isInstanceOf(Element.class);
    }

    private static String tag(String name, int attributes) {
        StringBuilder tag = new StringBuilder("<").append(name);
        for (int i = 0; i < attributes; i++) {
            tag.append(" a").append(i).append(i % 2 == 0 ? "='v'" : "=\"v\"");
        }
        return tag.append("/>").toString();
    }

    @Test
    void startTagWithMoreAttributesThanTheLimitIsPolicyViolation() {
        var ok = new DecoderHarness(LIMITS).write(HEADER + tag("message", 10)).read();
        assertThat(((Element) ok.get(1)).attributeCount()).isEqualTo(10);

        byte[] tooMany = (HEADER + "<presence/>" + tag("message", 11)).getBytes(StandardCharsets.UTF_8);
        List<String> out = decodeAtEverySplit(LIMITS, tooMany);
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo("fault:policy-violation");
        var fault = (StreamFault) new DecoderHarness(LIMITS).write(tooMany).read().get(2);
        assertThat(fault.error().text()).isEqualTo("more than 10 attributes on one element");
    }

    @Test
    void namespaceDeclarationsCountAsAttributesOfTheirTag() {
        StringBuilder tag = new StringBuilder("<message");
        for (int i = 0; i < 11; i++) {
            tag.append(" xmlns:p").append(i).append("='urn:p").append(i).append('\'');
        }
        var out = new DecoderHarness(LIMITS).write(HEADER + tag + "/>").read();
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void attributesAreCountedBeforeTheTagEnds() {
        // The parser never reads an oversized tag: the fault comes without the closing '>'.
        var harness = new DecoderHarness(LIMITS).write(HEADER + "<message");
        for (int i = 0; i < 10; i++) {
            harness.write(" a" + i + "='v'");
        }
        assertThat(harness.read()).hasSize(1);
        harness.write(" a10='v'");
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void quotesInTextValuesCdataAndTheXmlDeclarationAreNotAttributes() {
        String quotes = "'\"".repeat(20);
        String stream = HEADER.replace("<?xml version='1.0'?>", "<?xml version='1.0' encoding='UTF-8'?>")
                + "<message a='" + "\"".repeat(20) + "' b=\"" + "'".repeat(20) + "\"><body>" + quotes + "</body>"
                + "<x><![CDATA[<y " + quotes + " ]> ]]]></x></message>" + tag("presence", 10);
        List<String> out = decodeAtEverySplit(LIMITS, stream.getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).startsWith("<presence");
    }

    @Test
    void streamHeaderWithMoreAttributesThanTheLimitIsPolicyViolation() {
        String header = HEADER.replace(" to=", " a='1' b='2' c='3' d='4' e='5' f='6' g='7' to=");
        assertThat(faultOf(new DecoderHarness(LIMITS).write(header).read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void stanzaWithMoreNamespaceDeclarationsThanTheLimitIsPolicyViolation() {
        StringBuilder twenty = new StringBuilder("<message>");
        for (int i = 0; i < 20; i++) {
            twenty.append("<x xmlns='urn:x:").append(i).append("'/>");
        }
        twenty.append("</message>");
        String twentyOne = twenty.toString().replace("</message>", "<y xmlns='urn:y'/></message>");

        // The count starts over with each stanza.
        var ok = new DecoderHarness(LIMITS).write(HEADER + twenty + twenty).read();
        assertThat(ok).hasSize(3);
        var out = new DecoderHarness(LIMITS).write(HEADER + twentyOne).read();
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(((StreamFault) out.get(1)).error().text()).isEqualTo("more than 20 namespace declarations in one stanza");
    }

    /** A message whose element, attribute and prefix names are {@code count} distinct names from {@code from}. */
    private static String namesStanza(int from, int count) {
        StringBuilder stanza = new StringBuilder("<message>");
        for (int i = from; i < from + count - 1; i++) {
            stanza.append("<n").append(i).append("/>");
        }
        return stanza.append("</message>").toString();
    }

    @Test
    void stanzaWithMoreDistinctNamesThanTheLimitIsPolicyViolation() {
        // "message" plus 29 element names: 30, the limit.
        var ok = new DecoderHarness(LIMITS).write(HEADER + namesStanza(0, 30)).read();
        assertThat(ok).hasSize(2);
        var out = new DecoderHarness(LIMITS).write(HEADER + namesStanza(0, 31)).read();
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(((StreamFault) out.get(1)).error().text()).isEqualTo("more than 30 distinct names in one stanza");
    }

    @Test
    void attributeNamesAndPrefixesAreNames() {
        // message, x, p:y, p (prefix), a, p:b: six names.
        String stanza = "<message><x xmlns:p='urn:p' a='1' p:b='2'><p:y/></x></message>";
        XmlLimits six = new XmlLimits(8192, 64, 10, 20, 6);
        assertThat(new DecoderHarness(six).write(HEADER + stanza).read()).hasSize(2);
        XmlLimits five = new XmlLimits(8192, 64, 10, 20, 5);
        assertThat(faultOf(new DecoderHarness(five).write(HEADER + stanza).read()))
                .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void newNamesInEveryStanzaRebuildTheParserNotTheStream() {
        // 300 stanzas of 30 new names each: 9000 names, and the parser never knows more than twice the limit.
        StringBuilder stream = new StringBuilder(HEADER);
        for (int s = 0; s < 300; s++) {
            stream.append(namesStanza(s * 30, 30));
        }
        stream.append("<db:result xmlns:db='jabber:server:dialback'/><presence/>");
        var harness = new DecoderHarness(LIMITS);
        List<Object> out = new ArrayList<>();
        int mostNames = 0;
        for (byte[] chunk : chunks(stream.toString().getBytes(StandardCharsets.UTF_8), 1000)) {
            harness.write(chunk);
            out.addAll(harness.read());
            mostNames = Math.max(mostNames, harness.decoder.knownNames());
        }
        assertThat(out).hasSize(303).allSatisfy(o -> assertThat(o).isNotInstanceOf(StreamFault.class));
        assertThat(((Element) out.get(300)).elements().get(0).getName()).isEqualTo("n8970");
        assertThat(mostNames).isBetween(30, 60);
    }

    @Test
    void rebuiltParserStillKnowsTheRootsPrefixes() {
        String header = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback' version='1.0'>";
        String stream = header + namesStanza(0, 30) + namesStanza(30, 30) + "<db:result from='a' to='b'>k</db:result>"
                + "</stream:stream>";
        List<String> out = decodeAtEverySplit(LIMITS, stream.getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(5);
        assertThat(out.get(3)).isEqualTo("<db:result xmlns:db='jabber:server:dialback' from='a' to='b'>k</db:result>");
        assertThat(out.get(4)).isEqualTo("INSTANCE");
    }

    private static List<byte[]> chunks(byte[] bytes, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
        }
        return chunks;
    }
}
