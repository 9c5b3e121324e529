package im.parley.core.xml;

import static im.parley.core.xml.DecoderHarness.HEADER;
import static im.parley.core.xml.DecoderHarness.faultOf;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.StreamErrorCondition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What fuzzing the decoder found ({@link XmppStreamDecoderFuzzTest} and the frame fuzz tests of
 * the server module, whose seeds hold each case), with the answer RFC 6120 gives: names that are
 * XML Names but not namespace well-formed, which Aalto accepts or reports with an unexpected
 * exception, are {@code not-well-formed} (Namespaces in XML 1.0 §3, §2.2; RFC 6120 §4.9.3.13,
 * §11.2), and neither that nor the stream error depends on how the bytes were split. (The empty
 * root and the size limit have theirs in {@link XmppStreamDecoderTest} and
 * {@link XmppStreamDecoderLimitsTest}.)
 */
class XmppStreamDecoderFuzzFindingsTest {

    private static StreamErrorCondition condition(String stanza) {
        return faultOf(new DecoderHarness().write(HEADER + stanza).read());
    }

    /**
     * Before: {@code xmlns:a} as an element name escaped from Aalto as a RuntimeException, and a
     * part after the colon that is not an NCName reached dom4j, which threw
     * IllegalArgumentException; either became {@code internal-server-error} with a stack trace.
     * {@code xmlns:}, {@code b:} and {@code xmlns:p=''} were accepted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"<xmlns:a/>", "<p:6a xmlns:p='urn:p'/>", "<a xmlns:6s='urn:x'/>", "<a xmlns:-s='urn:x'/>",
        "<a p:.b='1' xmlns:p='urn:p'/>", "<a b:='1' xmlns:b='urn:b'/>", "<a xmlns:='urn:x'><b/></a>",
        "<a xmlns:p=''/>", "<a><b xmlns:p=''/></a>"})
    void namesThatAreNotNamespaceWellFormed(String stanza) {
        assertThat(condition(stanza)).as(stanza).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void theHeaderToo() {
        var out = new DecoderHarness().write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:1x='urn:x'>").read();
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void namespaceWellFormedNamesStillPass() {
        var out = new DecoderHarness().write(HEADER + "<a xmlns='urn:a' xmlns:p='urn:p' p:b-c.d='1' xml:lang='en'>"
                + "<p:e\u00e9 xmlns=''/><_f/></a>").read();
        assertThat(out).hasSize(2);
        Element a = (Element) out.get(1);
        assertThat(a.attributeCount()).isEqualTo(2);
        assertThat(a.elements()).hasSize(2);
    }

    /**
     * XML 1.0 §2.4: text may not hold {@code ]]>}. Before: Aalto's non-blocking parser missed it
     * when the text had begun in an earlier read, so the stanza passed or failed depending on
     * where the bytes were split.
     */
    @Test
    void cdataEndInTextFailsHoweverSplit() {
        byte[] bytes = (HEADER + "<message><body>a ]]> b</body></message><presence/>").getBytes(StandardCharsets.UTF_8);
        var whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole.get(whole.size() - 1)).isEqualTo("fault:not-well-formed");
        assertSameHoweverSplit(bytes, whole);
    }

    /**
     * RFC 6120 §11.6: the stream is UTF-8, and a character is the same character however its
     * bytes are split across reads. Before: Aalto's non-blocking parser dropped a four-byte
     * character (U+1F600) from an attribute value, of the header or of a stanza, when a read
     * ended inside it: {@code to='a😀b'} arrived as {@code to='ab'}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"<message to='a\uD83D\uDE00b'/>", "<message><body>a\uD83D\uDE00b \u00e9\u65e5</body></message>",
        "<message a='\u00e9' b='\u65e5' c='\uD83D\uDE00'/>"})
    void multiByteCharactersSurviveAnySplit(String stanza) {
        byte[] bytes = (HEADER.replace("to='", "to='\uD83D\uDE00") + stanza).getBytes(StandardCharsets.UTF_8);
        var whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole).hasSize(2).allSatisfy(decoded -> assertThat(decoded).contains("\uD83D\uDE00"));
        assertSameHoweverSplit(bytes, whole);
    }

    @Test
    void bracketsAndGreaterThanThatAreNotCdataEndsPass() {
        byte[] bytes = (HEADER + "<message a=']]>'><body>] > ]> ]]&gt; ]&#x5D;> <![CDATA[ ]]]]><![CDATA[> ]]></body>"
                + "</message>").getBytes(StandardCharsets.UTF_8);
        var whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole).hasSize(2);
        assertThat(whole.get(1)).contains("] &gt; ]&gt; ]]&gt; ]]&gt;  ]]&gt; ");
        assertSameHoweverSplit(bytes, whole);
    }

    /**
     * Before: a broken XML declaration followed by {@code <!} was {@code restricted-xml} when the
     * bytes came in one read and {@code not-well-formed} when split before the {@code <!}: the
     * prolog check looked ahead of the parser. Now the parser's own, earlier error wins.
     */
    @Test
    void prologErrorDoesNotDependOnSplitting() {
        byte[] bytes = "<?xml versi?n='1.0'?><!DOCTYPE x><stream:stream>".getBytes(StandardCharsets.UTF_8);
        var whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole).containsExactly("fault:not-well-formed");
        assertSameHoweverSplit(bytes, whole);
        assertThat(DecoderHarness.describe(XmlLimits.defaults(), "<?xml version='1.0'?><!-- c --><stream:stream>"
                .getBytes(StandardCharsets.UTF_8))).containsExactly("fault:restricted-xml");
    }

    /**
     * Namespaces in XML 1.0 §3: {@code xmlns:} (an empty prefix) is not a declaration. Before: when
     * it declared the default namespace already in effect, Aalto's reading of it as a default
     * declaration matched, and the stanza passed (found by fuzzing the WebSocket framing).
     */
    @ParameterizedTest
    @ValueSource(strings = {"<message xmlns:='jabber:client'/>", "<message to='a' xmlns:\n='jabber:client'><body/></message>",
        "<message><body xmlns:\t=\t'jabber:client'/></message>"})
    void anEmptyPrefixDeclarationFailsHoweverSplit(String stanza) {
        byte[] bytes = (HEADER + stanza).getBytes(StandardCharsets.UTF_8);
        var whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole.get(whole.size() - 1)).isEqualTo("fault:not-well-formed");
        assertSameHoweverSplit(bytes, whole);
    }

    @Test
    void namesThatOnlyResembleAnEmptyPrefixDeclarationPass() {
        var out = DecoderHarness.describe(XmlLimits.defaults(), (HEADER
                + "<message a='xmlns:' xmlns:x='urn:x' x:b='xmlns:=' xmlns:xm='urn:y'><body>xmlns:='a'</body></message>")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(2);
    }

    /** Whatever two reads the bytes come in, the decoder gives what it gave for one. */
    private static void assertSameHoweverSplit(byte[] bytes, List<String> whole) {
        for (int i = 1; i < bytes.length; i++) {
            assertThat(DecoderHarness.describe(XmlLimits.defaults(), Arrays.copyOfRange(bytes, 0, i),
                    Arrays.copyOfRange(bytes, i, bytes.length))).as("split at %d", i).isEqualTo(whole);
        }
    }
}
