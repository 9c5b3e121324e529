package im.parley.core.xml;

import static im.parley.core.xml.DecoderHarness.HEADER;
import static im.parley.core.xml.DecoderHarness.faultOf;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmppStreamDecoderTest {

    static final String STREAM = HEADER
            + "<message to='juliet@example.com' type='chat' xml:lang='fr'><body>caf\u00e9 \ud83d\ude00 \u65e5\u672c</body>"
            + "<x xmlns='jabber:x:data' type='form'><field var='a'><value>1 &amp; 2 &lt; &#x33;</value></field></x></message>"
            + "\n  <iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>\t"
            + "<presence/></stream:stream>";

    @Test
    void headerBecomesStreamOpen() {
        // RFC 6120 §4.7: stream attributes; §4.8.2: content namespace.
        var out = new DecoderHarness().write("<?xml version='1.0' encoding='UTF-8'?><stream:stream"
                + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='juliet@example.com' to='example.com' id='s1' version='1.0' xml:lang='en'>").read();
        assertThat(out).containsExactly(
                new StreamOpen("example.com", "juliet@example.com", "s1", "1.0", "en", "jabber:client"));
    }

    @Test
    void headerWithoutOptionalAttributes() {
        var out = new DecoderHarness().write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>").read();
        assertThat(out).containsExactly(new StreamOpen(null, null, null, null, null, null));
    }

    /**
     * RFC 6120 §4.2, §4.4: {@code <stream:stream/>} opens the stream and closes it at once. Found by
     * fuzzing: the close was emitted in a decode call that read no byte (the empty tag's end has
     * none of its own), which Netty refuses with a DecoderException, an internal error.
     */
    @Test
    void emptyStreamElementOpensAndCloses() {
        String empty = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='example.com'/>";
        var whole = new DecoderHarness().write(empty + "<presence/>").read();
        assertThat(whole).containsExactly(new StreamOpen("example.com", null, null, null, null, null), StreamClose.INSTANCE);
        var split = new DecoderHarness().write(empty.substring(0, empty.length() - 1), ">").read();
        assertThat(split).isEqualTo(whole);
    }

    @Test
    void stanzasKeepNamespacesAttributesAndText() {
        var out = new DecoderHarness().write(STREAM).read();
        assertThat(out).hasSize(5);
        assertThat(out.get(4)).isSameAs(StreamClose.INSTANCE);

        Element message = (Element) out.get(1);
        assertThat(message.getParent()).isNull();
        assertThat(message.getQName()).isEqualTo(QName.get("message", Namespaces.CLIENT));
        assertThat(message.attributeValue("to")).isEqualTo("juliet@example.com");
        assertThat(message.attributeValue(QName.get("lang", Namespace.XML_NAMESPACE))).isEqualTo("fr");
        assertThat(message.element(QName.get("body", Namespaces.CLIENT)).getText())
                .isEqualTo("caf\u00e9 \ud83d\ude00 \u65e5\u672c");
        Element x = message.element(QName.get("x", "jabber:x:data"));
        assertThat(x.attributeValue("type")).isEqualTo("form");
        Element value = x.element(QName.get("field", "jabber:x:data")).element(QName.get("value", "jabber:x:data"));
        assertThat(value.getText()).isEqualTo("1 & 2 < 3");

        Element iq = (Element) out.get(2);
        assertThat(iq.element("query").getNamespaceURI()).isEqualTo("jabber:iq:roster");
        assertThat(((Element) out.get(3)).getQName()).isEqualTo(QName.get("presence", Namespaces.CLIENT));
    }

    @Test
    void prefixDeclaredOnHeaderResolvesInChildren() {
        // XEP-0220 §2.1.1: dialback elements use the db: prefix declared on the stream header.
        var out = new DecoderHarness().write("<stream:stream xmlns='jabber:server'"
                + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>"
                + "<db:result from='a.example' to='b.example'>key</db:result>").read();
        Element result = (Element) out.get(1);
        assertThat(result.getNamespaceURI()).isEqualTo(Namespaces.DIALBACK);
        assertThat(result.getName()).isEqualTo("result");
        assertThat(result.getText()).isEqualTo("key");
        assertThat(((StreamOpen) out.get(0)).contentNamespace()).isEqualTo(Namespaces.SERVER);
    }

    @Test
    void everySplitPositionGivesTheSameOutput() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<String> whole = DecoderHarness.describe(XmlLimits.defaults(), bytes);
        assertThat(whole).hasSize(5);
        for (int i = 1; i < bytes.length; i++) {
            assertThat(DecoderHarness.describe(XmlLimits.defaults(),
                    Arrays.copyOfRange(bytes, 0, i), Arrays.copyOfRange(bytes, i, bytes.length)))
                    .as("split at %d", i).isEqualTo(whole);
        }
    }

    @Test
    void byteAtATimeGivesTheSameOutput() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        byte[][] single = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            single[i] = new byte[] {bytes[i]};
        }
        assertThat(DecoderHarness.describe(XmlLimits.defaults(), single))
                .isEqualTo(DecoderHarness.describe(XmlLimits.defaults(), bytes));
    }

    @Test
    void multiByteCharacterSplitAcrossReads() {
        byte[] emoji = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        assertThat(emoji).hasSize(4);
        for (int split = 1; split < 4; split++) {
            var harness = new DecoderHarness().write(HEADER + "<message><body>");
            harness.write(Arrays.copyOfRange(emoji, 0, split)).write(Arrays.copyOfRange(emoji, split, 4));
            harness.write("</body></message>");
            var out = harness.read();
            assertThat(((Element) out.get(1)).elementText("body")).isEqualTo("\ud83d\ude00");
        }
    }

    @Test
    void whitespaceKeepalivesAreIgnored() {
        // RFC 6120 §4.6.1: whitespace between top-level elements keeps the connection alive.
        var out = new DecoderHarness().write(HEADER, " ", "\n", " \t\r\n ", "<presence/>", " ").read();
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isInstanceOf(Element.class);
    }

    @Test
    void manyStanzasInOneBuffer() {
        StringBuilder input = new StringBuilder(HEADER);
        for (int i = 0; i < 10_000; i++) {
            input.append("<message id='m").append(i).append("'><body>").append(i).append("</body></message>");
        }
        var out = new DecoderHarness().write(input.toString()).read();
        assertThat(out).hasSize(10_001);
        for (int i = 0; i < 10_000; i++) {
            assertThat(((Element) out.get(i + 1)).attributeValue("id")).isEqualTo("m" + i);
        }
    }

    @Test
    void streamCloseIsEmittedAndLaterInputIgnored() {
        var out = new DecoderHarness().write(HEADER + "<presence/></stream:stream><presence/>", "<x/>").read();
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isSameAs(StreamClose.INSTANCE);
    }

    @Test
    void resetStartsANewDocument() {
        // RFC 6120 §4.3.3: after SASL success both sides start a new stream over the same connection.
        var harness = new DecoderHarness();
        harness.write(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGE=</auth>");
        assertThat(harness.read()).hasSize(2);
        harness.decoder.reset();
        var out = harness.write(HEADER.replace("example.com", "restarted.example") + "<presence/>").read();
        assertThat(out).hasSize(2);
        assertThat(((StreamOpen) out.get(0)).to()).isEqualTo("restarted.example");
    }

    @Test
    void resetDuringHandlingParsesTheRestOfTheBufferAsANewDocument() {
        // Bytes already received after <auth/> (pipelined restart) belong to the new stream.
        var harness = new DecoderHarness();
        harness.channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Element e && "auth".equals(e.getName())) {
                    harness.decoder.reset();
                }
                ctx.fireChannelRead(msg);
            }
        });
        var out = harness.write(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
                + HEADER.replace("example.com", "second.example") + "<presence/>").read();
        assertThat(out).extracting(DecoderHarness::describe).containsExactly(
                out.get(0).toString(),
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
                new StreamOpen("second.example", null, null, "1.0", null, "jabber:client").toString(),
                "<presence xmlns='jabber:client'/>");
    }

    @Test
    void predefinedEntitiesAndCharacterReferencesAreAllowed() {
        var out = new DecoderHarness().write(HEADER + "<message a='&apos;&quot;&#65;'><body>&amp;&lt;&gt;&#x41;</body></message>").read();
        Element message = (Element) out.get(1);
        assertThat(message.attributeValue("a")).isEqualTo("'\"A");
        assertThat(message.elementText("body")).isEqualTo("&<>A");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE stream:stream>" + HEADER,
        "<!DOCTYPE foo [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + HEADER + "<message>&xxe;</message>",
        "<!-- comment -->" + HEADER,
        "<?xml version='1.0'?><?pi data?>" + HEADER,
        HEADER + "<!-- comment -->",
        HEADER + "<message><!-- comment --></message>",
        HEADER + "<?pi data?>",
        HEADER + "<message><?pi data?></message>",
        HEADER + "<message><body>&foo;</body></message>",
        HEADER + "<message to='&foo;'/>",
    })
    void restrictedXmlIsRefused(String input) {
        // RFC 6120 §11.1: no comments, processing instructions, DTDs or non-predefined entities.
        assertThat(faultOf(new DecoderHarness().write(input).read())).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        HEADER + "<message><body></message>",
        HEADER + "<x:message/>",
        HEADER + "<message a='1' a='2'/>",
        HEADER + "<message><body>x & y</body></message>",
        HEADER + "<message/></wrong:stream>",
        "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'",
    })
    void malformedXmlIsNotWellFormed(String input) {
        // RFC 6120 §4.9.3.13. The last case is completed by a second chunk below.
        var harness = new DecoderHarness().write(input);
        if (!input.startsWith(HEADER)) {
            harness.write(" <oops>");
        }
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void textAtStreamLevelIsBadFormat() {
        // RFC 6120 §4.9.3.1: only whitespace may sit between top-level elements.
        assertThat(faultOf(new DecoderHarness().write(HEADER + "<presence/> hello <presence/>").read()))
                .isEqualTo(StreamErrorCondition.BAD_FORMAT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<stream:stream xmlns:stream='urn:not-the-streams-namespace'>",
        "<stream xmlns='jabber:client'>",
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>",
    })
    void wrongRootIsInvalidNamespace(String header) {
        // RFC 6120 §4.8.1: the root is 'stream' qualified by http://etherx.jabber.org/streams.
        assertThat(faultOf(new DecoderHarness().write(header).read())).isEqualTo(StreamErrorCondition.INVALID_NAMESPACE);
    }

    @Test
    void nonUtf8EncodingsAreUnsupported() {
        // RFC 6120 §11.6: UTF-8 only.
        assertThat(faultOf(new DecoderHarness().write("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER).read()))
                .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        assertThat(faultOf(new DecoderHarness().write("<?xml version='1.0' encoding='UTF-16'?>").read()))
                .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        byte[] utf16 = HEADER.getBytes(StandardCharsets.UTF_16);
        assertThat(faultOf(new DecoderHarness().write(utf16).read())).isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        var out = new DecoderHarness().write(bom).write(HEADER).read();
        assertThat(out).hasSize(1).first().isInstanceOf(StreamOpen.class);
        var split = new DecoderHarness().write(new byte[] {bom[0]}).write(new byte[] {bom[1], bom[2], '<'})
                .write(HEADER.substring(1)).read();
        assertThat(split).isEqualTo(out);
    }

    @Test
    void faultIsTheLastThingEmitted() {
        var harness = new DecoderHarness().write(HEADER + "<presence/><!-- x --><presence/>");
        harness.write("<presence/>", "</stream:stream>");
        var out = harness.read();
        assertThat(out).hasSize(3);
        assertThat(faultOf(out)).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
        assertThat(((StreamFault) out.get(2)).error().text()).isEqualTo("comments are not allowed");
        harness.write("<presence/>");
        assertThat(harness.read()).isEmpty();
        assertThat(harness.channel.finish()).isFalse();
    }
}
