package im.parley.core.xml;

import static im.parley.core.xml.DecoderHarness.HEADER;
import static im.parley.core.xml.DecoderHarness.faultOf;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link XmppStreamDecoder#releaseParserIfIdle()}: a stream whose parser is released between
 * top-level elements and rebuilt when bytes arrive again decodes exactly like one that kept its
 * parser — elements (RFC 6120 §4.2, §4.8 namespaces), stream close (§4.4), stream errors
 * (§4.9.3, §11.1 restricted XML), limits (§13.12) and restarts (§4.3.3).
 */
class XmppStreamDecoderIdleReleaseTest {

    private static final String DIALBACK_HEADER = "<stream:stream xmlns:foo='urn:example:foo' xmlns='jabber:server'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' version='1.0'>";

    /** Input chunks and actions on the decoder between them, replayed by a {@link Run}. */
    record Scenario(String name, XmlLimits limits, List<Object> steps) {
        static Scenario of(String name, Object... steps) {
            return new Scenario(name, XmlLimits.defaults(), List.of(steps));
        }

        static Scenario limited(String name, XmlLimits limits, Object... steps) {
            return new Scenario(name, limits, List.of(steps));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A named action on the decoder between chunks. */
    record Action(String name, Consumer<XmppStreamDecoder> action) {
    }

    /**
     * Replays a scenario, optionally byte by byte, optionally releasing the parser after each
     * write. The output is read after every write, so a fault raised earlier or later differs.
     */
    private static final class Run {
        final DecoderHarness harness;
        final List<String> output = new ArrayList<>();
        int releases;

        Run(Scenario scenario, boolean byteByByte, boolean release) {
            harness = new DecoderHarness(scenario.limits());
            for (Object step : scenario.steps()) {
                if (step instanceof Action action) {
                    action.action().accept(harness.decoder);
                    continue;
                }
                byte[] bytes = ((String) step).getBytes(StandardCharsets.UTF_8);
                for (byte[] chunk : byteByByte ? singleBytes(bytes) : new byte[][] {bytes}) {
                    harness.write(chunk);
                    harness.read().forEach(decoded -> output.add(describeExactly(decoded)));
                    output.add("|");
                    if (release && harness.decoder.releaseParserIfIdle()) {
                        releases++;
                    }
                }
            }
        }
    }

    static Stream<Arguments> scenarios() {
        XmlLimits small = new XmlLimits(200, 64);
        return Stream.of(
                Scenario.of("stanzas, keepalives and close", XmppStreamDecoderTest.STREAM),
                Scenario.of("stanzas in separate writes", HEADER, "<presence/>", "\n ", "<message to='a@b'><body>hi</body></message>",
                        " ", "<iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>", "</stream:stream>"),
                Scenario.of("prefixes declared on the root", DIALBACK_HEADER,
                        "<db:result from='a.example' to='b.example'>key</db:result>",
                        "<foo:bar foo:attr='1' plain='2'><foo:baz/></foo:bar>",
                        "<message xmlns:x='urn:x'><x:body>y</x:body><foo:z/></message>", "</stream:stream>"),
                Scenario.of("other stream prefix",
                        "<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client'>", "<presence/>",
                        "</s:stream>"),
                Scenario.of("default namespace is the streams namespace",
                        "<stream xmlns='http://etherx.jabber.org/streams'>", "<features/>", "</stream>"),
                Scenario.of("escaped namespace URI", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                        + " xmlns:q='urn:a&amp;b&apos;c&lt;d&#9;e&#10;f'>", "<q:x/>", "<message><q:y/></message>"),
                Scenario.of("xml:lang on the root", "<stream:stream xmlns='jabber:client' xml:lang='de'"
                        + " xmlns:stream='http://etherx.jabber.org/streams'>", "<message><body>x</body></message>"),
                Scenario.of("wrong close tag", HEADER, "<presence/>", "</wrong:stream>"),
                Scenario.of("close with the other prefix",
                        "<s:stream xmlns:s='http://etherx.jabber.org/streams'>", "<x/>", "</stream:stream>"),
                Scenario.of("undeclared prefix", HEADER, "<presence/>", "<foo:x/>"),
                Scenario.of("comment", HEADER, "<presence/>", "<!-- x -->", "<presence/>"),
                Scenario.of("processing instruction", HEADER, "<presence/>", "<?pi data?>"),
                Scenario.of("entity reference", HEADER, "<presence/>", "<message><body>&foo;</body></message>"),
                Scenario.of("entity in attribute", HEADER, "<presence/>", "<message to='&foo;'/>"),
                Scenario.of("unclosed element", HEADER, "<presence/>", "<message><body></message>"),
                Scenario.of("duplicate attribute", HEADER, "<presence/>", "<message a='1' a='2'/>"),
                Scenario.of("bare ampersand", HEADER, "<presence/>", "<message><body>x & y</body></message>"),
                Scenario.of("text at stream level", HEADER, "<presence/>", " hello <presence/>"),
                Scenario.of("stray end tag", HEADER, "<presence/>", "</presence>"),
                Scenario.of("input after close is ignored", HEADER, "<presence/>", "</stream:stream>", "<presence/>"),
                Scenario.of("character references", HEADER, "<presence/>",
                        "<message a='&apos;&quot;&#65;'><body>&amp;&lt;&gt;&#x41; caf\u00e9 \ud83d\ude00</body></message>"),
                Scenario.of("XML 1.1 document", "<?xml version='1.1'?>" + HEADER, "<presence/>",
                        "<message><body>&#1;</body></message>"),
                Scenario.of("XML 1.0 control character", HEADER, "<presence/>", "<message><body>&#1;</body></message>"),
                Scenario.limited("stanza at the limit", small, HEADER, "<presence/>", stanzaOfSize(200), " ",
                        stanzaOfSize(200)),
                Scenario.limited("stanza over the limit", small, HEADER, "<presence/>", stanzaOfSize(201)),
                Scenario.limited("unfinished stanza over the limit", small, HEADER, "<presence/>",
                        "<message><body>", "x".repeat(150), "x".repeat(100)),
                Scenario.limited("unfinished start tag over the limit", small, HEADER, "<presence/>",
                        "  <message to='", "x".repeat(150), "x".repeat(50)),
                Scenario.limited("unfinished start tag right after a release", small, HEADER, "<presence/>",
                        "<message to='" + "x".repeat(150), "x".repeat(50)),
                Scenario.limited("keepalives never count", small, HEADER, "<presence/>", " ".repeat(150),
                        " ".repeat(150), stanzaOfSize(200)),
                Scenario.limited("nesting at and over the limit", new XmlLimits(8192, 3), HEADER,
                        "<a><b><c/></b></a>", "<a><b><c><d/></c></b></a>"),
                Scenario.of("control character", HEADER, "<presence/>", "<message><body>a\u0001b</body></message>"),
                Scenario.limited("attributes at and over the limit", new XmlLimits(8192, 64, 2, 20, 30), HEADER,
                        "<presence/>", "<message a='1' b='2'/>", "<message a='1' b='2' c='3'/>"),
                Scenario.limited("namespace declarations over the limit", new XmlLimits(8192, 64, 10, 2, 30), HEADER,
                        "<presence/>", "<message xmlns:a='urn:a'><x xmlns='urn:x'/></message>",
                        "<message xmlns:a='urn:a'><x xmlns='urn:x'/><y xmlns='urn:y'/></message>"),
                Scenario.limited("new names rebuild the parser", new XmlLimits(8192, 64, 10, 20, 3), DIALBACK_HEADER,
                        "<a1><b1/><c1/></a1>", "<a2><b2/><c2/></a2>", "<db:result>k</db:result>", "<a3 x='1'/>",
                        "<a4><b4/><c4/><d4/></a4>"),
                Scenario.limited("raised limit", new XmlLimits(300, 64), HEADER, "<presence/>",
                        new Action("raise", d -> d.setMaxStanzaBytes(1000)), stanzaOfSize(1000), stanzaOfSize(1001)),
                Scenario.of("restart", HEADER, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>AGE=</auth>",
                        new Action("reset", XmppStreamDecoder::reset),
                        HEADER.replace("example.com", "restarted.example"), "<presence/>", "</stream:stream>"),
                Scenario.of("restart into another root", DIALBACK_HEADER, "<db:result/>",
                        new Action("reset", XmppStreamDecoder::reset), HEADER, "<presence/>", "<db:result/>"),
                Scenario.of("buffered whitespace dropped", HEADER, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
                        new Action("drop whitespace", XmppStreamDecoder::dropBufferedWhitespace), "\n",
                        new Action("drop whitespace", XmppStreamDecoder::dropBufferedWhitespace), "<presence/>"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void releasingAfterEveryWriteChangesNothing(Scenario scenario) {
        Run kept = new Run(scenario, false, false);
        Run released = new Run(scenario, false, true);
        assertThat(released.output).isEqualTo(kept.output);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void releasingAfterEveryByteChangesNothing(Scenario scenario) {
        Run kept = new Run(scenario, true, false);
        Run released = new Run(scenario, true, true);
        List<String> expected = kept.output;
        assertThat(released.output).isEqualTo(expected);
        if (expected.stream().anyMatch(o -> o.startsWith("<"))) {
            assertThat(released.releases).as("the parser was released at least once").isPositive();
        }
    }

    @Test
    void releasingWhileEachElementIsHandledChangesNothing() {
        // Reentrant: the release is asked for while the decoder fires what it decoded.
        byte[] stream = XmppStreamDecoderTest.STREAM.getBytes(StandardCharsets.UTF_8);
        DecoderHarness harness = new DecoderHarness();
        List<Boolean> answers = new ArrayList<>();
        harness.channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                answers.add(harness.decoder.releaseParserIfIdle());
                ctx.fireChannelRead(msg);
            }
        });
        for (byte[] chunk : singleBytes(stream)) {
            harness.write(chunk);
        }
        assertThat(harness.read().stream().map(XmppStreamDecoderIdleReleaseTest::describeExactly).toList())
                .isEqualTo(new Run(Scenario.of("stream", XmppStreamDecoderTest.STREAM), false, false).output.stream().filter(o -> !o.equals("|")).toList());
        // Released after the header and after each stanza; refused once the stream is closed.
        assertThat(answers).containsExactly(true, true, true, true, false);
    }

    @Test
    void refusedInTheProlog() {
        var harness = new DecoderHarness();
        assertThat(harness.decoder.releaseParserIfIdle()).isFalse();
        harness.write("<?xml version='1.0'?>");
        assertThat(harness.decoder.releaseParserIfIdle()).isFalse();
        harness.write(HEADER.substring(21, 40));
        assertThat(harness.decoder.releaseParserIfIdle()).isFalse();
        harness.write(HEADER.substring(40));
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        assertThat(harness.decoder.isParserReleased()).isTrue();
    }

    @Test
    void refusedMidStanzaAndMidTag() {
        var harness = new DecoderHarness().write(HEADER, "<presence/>");
        for (String partial : new String[] {"<", "mess", "age to='a@b'", ">", "<body>", "hi", "</bo", "dy>", "</message"}) {
            harness.write(partial);
            assertThat(harness.decoder.releaseParserIfIdle()).as("after %s", partial).isFalse();
            assertThat(harness.decoder.isParserReleased()).isFalse();
        }
        harness.write(">");
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        assertThat(harness.read()).hasSize(3);
    }

    @Test
    void refusedWithBytesNotYetDecoded() {
        // Each decode emits one object; the bytes after it are still in the cumulation buffer.
        var harness = new DecoderHarness();
        List<Boolean> answers = new ArrayList<>();
        harness.channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Element) {
                    answers.add(harness.decoder.releaseParserIfIdle());
                }
                ctx.fireChannelRead(msg);
            }
        });
        harness.write(HEADER + "<presence/><presence/>");
        assertThat(answers).containsExactly(false, true);
        assertThat(harness.read()).hasSize(3);
    }

    @Test
    void refusedOnceTheStreamEndedOrFailed() {
        var closed = new DecoderHarness().write(HEADER, "</stream:stream>");
        assertThat(closed.decoder.releaseParserIfIdle()).isFalse();
        assertThat(closed.decoder.isParserReleased()).isFalse();
        var failed = new DecoderHarness().write(HEADER, "<!-- x -->");
        assertThat(failed.decoder.releaseParserIfIdle()).isFalse();
        assertThat(failed.decoder.isParserReleased()).isFalse();
    }

    @Test
    void releasedOnlyOnce() {
        var harness = new DecoderHarness().write(HEADER);
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        assertThat(harness.decoder.releaseParserIfIdle()).isFalse();
        assertThat(harness.decoder.isParserReleased()).isTrue();
    }

    @Test
    void keepalivesLeaveTheParserReleased() {
        // RFC 6120 §4.6.1: whitespace keepalives need no parser.
        var harness = new DecoderHarness().write(HEADER, "<presence/>", " \n");
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.write(" ", "\r\n", "\t");
        assertThat(harness.decoder.isParserReleased()).isTrue();
        harness.write("  <presence type='unavailable'/>");
        assertThat(harness.decoder.isParserReleased()).isFalse();
        assertThat(harness.read()).extracting(DecoderHarness::describe).endsWith(
                "<presence xmlns='jabber:client'/>", "<presence xmlns='jabber:client' type='unavailable'/>");
    }

    @Test
    void prefixesDeclaredOnTheRootSurviveARelease() {
        // XEP-0220 §2.1.1: db: is declared on the header only; so is any prefix a peer chooses.
        var harness = new DecoderHarness().write(DIALBACK_HEADER);
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.write("<db:result from='a.example' to='b.example'>key</db:result>");
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.write("<message><foo:x foo:a='1'/></message>");
        var out = harness.read();
        Element result = (Element) out.get(1);
        assertThat(result.getQName()).isEqualTo(QName.get("result", Namespace.get("db", Namespaces.DIALBACK)));
        assertThat(result.getNamespacePrefix()).isEqualTo("db");
        assertThat(result.getText()).isEqualTo("key");
        Element message = (Element) out.get(2);
        assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.SERVER);
        Element x = message.element(QName.get("x", "urn:example:foo"));
        assertThat(x.getNamespacePrefix()).isEqualTo("foo");
        assertThat(x.attributeValue(QName.get("a", "urn:example:foo"))).isEqualTo("1");
    }

    @Test
    void sizeLimitDoesNotCountTheReplayedRoot() {
        // The replayed start tag is longer than what is left of a 100-byte budget.
        XmlLimits limits = new XmlLimits(100, 64);
        var harness = new DecoderHarness(limits).write("<stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.write(stanzaOfSize(100));
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.write(stanzaOfSize(101));
        var out = harness.read();
        assertThat(out.get(1)).isInstanceOf(Element.class);
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void restartAfterAReleaseParsesANewDocument() {
        var harness = new DecoderHarness().write(HEADER);
        assertThat(harness.decoder.releaseParserIfIdle()).isTrue();
        harness.decoder.reset();
        assertThat(harness.decoder.isParserReleased()).isFalse();
        var out = harness.write(HEADER.replace("example.com", "second.example"), "<presence/>").read();
        assertThat(out).hasSize(3);
        assertThat(((StreamOpen) out.get(1)).to()).isEqualTo("second.example");
    }

    private static String stanzaOfSize(int size) {
        String open = "<message><body>";
        String close = "</body></message>";
        return open + "x".repeat(size - open.length() - close.length()) + close;
    }

    private static byte[][] singleBytes(byte[] bytes) {
        byte[][] single = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            single[i] = new byte[] {bytes[i]};
        }
        return single;
    }

    /** Everything observable: the encoder's form, dom4j's form (with prefixes), the fault text. */
    private static String describeExactly(Object decoded) {
        if (decoded instanceof Element element) {
            return XmppElementEncoder.toXml(element) + " " + element.asXML() + " " + element.declaredNamespaces();
        }
        if (decoded instanceof StreamFault fault) {
            return "fault:" + fault.error().condition().elementName() + ":" + fault.error().text();
        }
        return decoded.toString();
    }

    @Test
    void describeExactlyTellsPrefixesApart() {
        // Guards the comparisons above: the same name under another prefix must not look equal.
        Element a = new DecoderHarness().write(DIALBACK_HEADER, "<db:result/>").read().stream()
                .filter(Element.class::isInstance).map(Element.class::cast).findFirst().orElseThrow();
        Element b = a.createCopy();
        b.setQName(QName.get("result", Namespace.get("other", Namespaces.DIALBACK)));
        assertThat(describeExactly(a)).isNotEqualTo(describeExactly(b));
        assertThat(describeExactly(a)).contains("<db:result");
    }
}
