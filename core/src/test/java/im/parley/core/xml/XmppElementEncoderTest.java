package im.parley.core.xml;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

class XmppElementEncoderTest {
    private static final StreamOpen CLIENT_HEADER =
            new StreamOpen("juliet@example.com", "example.com", "s1", "1.0", "en", Namespaces.CLIENT);

    private final EmbeddedChannel channel = new EmbeddedChannel(new XmppElementEncoder());

    private String encode(Object... messages) {
        channel.writeOutbound(messages);
        StringBuilder text = new StringBuilder();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ByteBuf buffer = (ByteBuf) o;
            text.append(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
        }
        return text.toString();
    }

    private static Element message() {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("to", "romeo@example.net");
        message.addElement(QName.get("body", Namespaces.CLIENT)).setText("hi");
        return message;
    }

    @Test
    void headerDeclaresContentAndStreamNamespaces() {
        // RFC 6120 §4.7 attributes, §4.8 namespaces.
        assertThat(encode(CLIENT_HEADER)).isEqualTo("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='example.com'"
                + " to='juliet@example.com' version='1.0' xml:lang='en'>");
    }

    @Test
    void headerOmitsNullAttributes() {
        assertThat(encode(new StreamOpen(null, "example.com", null, "1.0", null, Namespaces.SERVER)))
                .isEqualTo("<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
                        + " xmlns:stream='http://etherx.jabber.org/streams' from='example.com' version='1.0'>");
    }

    @Test
    void stanzaInContentNamespaceInheritsIt() {
        Element message = message();
        message.addElement(QName.get("request", "urn:xmpp:receipts"));
        encode(CLIENT_HEADER);
        assertThat(encode(message)).isEqualTo("<message to='romeo@example.net'><body>hi</body>"
                + "<request xmlns='urn:xmpp:receipts'/></message>");
    }

    @Test
    void nestedNamespacesAreDeclaredOnceAndRestored() {
        Element iq = DocumentHelper.createElement(QName.get("iq", Namespaces.CLIENT));
        Element query = iq.addElement(QName.get("query", "jabber:iq:roster"));
        query.addElement(QName.get("item", "jabber:iq:roster")).addElement(QName.get("group", "jabber:iq:roster"));
        iq.addElement(QName.get("error", Namespaces.CLIENT));
        encode(CLIENT_HEADER);
        assertThat(encode(iq)).isEqualTo("<iq><query xmlns='jabber:iq:roster'><item><group/></item></query><error/></iq>");
    }

    @Test
    void elementBeforeHeaderOrOutsideStreamDeclaresItsNamespace() {
        assertThat(encode(message())).isEqualTo("<message xmlns='jabber:client' to='romeo@example.net'><body>hi</body></message>");
        assertThat(XmppElementEncoder.toXml(message())).isEqualTo(
                "<message xmlns='jabber:client' to='romeo@example.net'><body>hi</body></message>");
    }

    @Test
    void standaloneUtf8IsTheStandaloneXmlsBytes() {
        Element message = message();
        message.element("body").setText("caf\u00e9 \ud83d\ude00 & <more>");
        byte[] utf8 = XmppElementEncoder.toUtf8(message);
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(XmppElementEncoder.toXml(message))
                .isEqualTo("<message xmlns='jabber:client' to='romeo@example.net'><body>caf\u00e9 \ud83d\ude00 &amp;"
                        + " &lt;more&gt;</body></message>");
    }

    @Test
    void unqualifiedChildUndeclaresTheDefaultNamespace() {
        Element message = message();
        message.add(DocumentHelper.createElement(QName.get("plain", Namespace.NO_NAMESPACE)));
        encode(CLIENT_HEADER);
        assertThat(encode(message)).endsWith("<plain xmlns=''/></message>");
    }

    @Test
    void streamErrorUsesTheStreamPrefix() {
        // RFC 6120 §4.9.2: <stream:error> with the condition in the xmpp-streams namespace.
        encode(CLIENT_HEADER);
        assertThat(encode(StreamError.of(StreamErrorCondition.NOT_WELL_FORMED).toElement(), StreamClose.INSTANCE))
                .isEqualTo("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                        + "</stream:stream>");
        Element features = DocumentHelper.createElement(QName.get("features", Namespaces.STREAMS));
        assertThat(encode(features)).isEqualTo("<stream:features/>");
    }

    @Test
    void prefixedAndNamespacedAttributesGetDeclarations() {
        Element result = DocumentHelper.createElement(QName.get("result", Namespace.get("db", Namespaces.DIALBACK)));
        result.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "en");
        result.addAttribute(QName.get("a", Namespace.get("urn:x")), "1");
        result.addAttribute(QName.get("b", Namespace.get("y", "urn:y")), "2");
        encode(new StreamOpen(null, null, null, "1.0", null, Namespaces.SERVER));
        assertThat(encode(result)).isEqualTo("<db:result xmlns:db='jabber:server:dialback' xml:lang='en'"
                + " xmlns:ns0='urn:x' ns0:a='1' xmlns:y='urn:y' y:b='2'/>");
    }

    @Test
    void attributeReusesAnOuterPrefixWhenTheInnerOneWasRebound() {
        // urn:u is bound to a (outer) and b (middle); b is rebound to urn:v on the element itself.
        Element outer = DocumentHelper.createElement(QName.get("r", Namespaces.CLIENT));
        outer.add(Namespace.get("a", "urn:u"));
        Element middle = outer.addElement(QName.get("c", Namespaces.CLIENT));
        middle.add(Namespace.get("b", "urn:u"));
        Element inner = middle.addElement(QName.get("g", Namespaces.CLIENT));
        inner.add(Namespace.get("b", "urn:v"));
        inner.addAttribute(QName.get("x", Namespace.get("z", "urn:u")), "1");
        inner.addAttribute(QName.get("y", Namespace.get("z", "urn:v")), "2");
        encode(CLIENT_HEADER);
        assertThat(encode(outer)).isEqualTo("<r xmlns:a='urn:u'><c xmlns:b='urn:u'><g xmlns:b='urn:v' a:x='1' b:y='2'/>"
                + "</c></r>");
        // Out of scope again: the same attribute needs a declaration of its own.
        Element alone = DocumentHelper.createElement(QName.get("s", Namespaces.CLIENT));
        alone.addAttribute(QName.get("x", Namespace.get("z", "urn:u")), "1");
        assertThat(encode(alone)).isEqualTo("<s xmlns:z='urn:u' z:x='1'/>");
    }

    @Test
    void textAndAttributesAreEscapedAndIllegalCharactersDropped() {
        Element body = DocumentHelper.createElement(QName.get("body", Namespaces.CLIENT));
        body.addAttribute("a", "'\"<>&\t\n\r");
        body.setText("<b> & 'q' \"q\" \u0001\u0000\ud800x\ufffe \ud83d\ude00 caf\u00e9\r\n");
        encode(CLIENT_HEADER);
        assertThat(encode(body)).isEqualTo("<body a='&apos;&quot;&lt;&gt;&amp;&#x9;&#xA;&#xD;'>"
                + "&lt;b&gt; &amp; 'q' \"q\" x \ud83d\ude00 caf\u00e9&#xD;\n</body>");
    }

    @Test
    void commentsAndProcessingInstructionsAreNeverWritten() {
        // RFC 6120 §11.1: restricted XML.
        Element message = message();
        message.addComment("secret");
        message.addProcessingInstruction("pi", "data");
        encode(CLIENT_HEADER);
        assertThat(encode(message)).isEqualTo("<message to='romeo@example.net'><body>hi</body></message>");
    }

    @Test
    void literalXmlnsAttributesAreNotWritten() {
        Element query = DocumentHelper.createElement("query");
        query.addAttribute("xmlns:foo", "urn:foo");
        assertThat(XmppElementEncoder.toXml(query)).isEqualTo("<query/>");
    }

    @Test
    void encodedElementsDecodeToTheSameStructure() {
        Element message = message();
        message.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "fr");
        message.addAttribute("id", "a&b<'\"\t\n");
        Element x = message.addElement(QName.get("x", "jabber:x:data"));
        x.addAttribute(QName.get("attr", Namespace.get("p", "urn:p")), "v");
        x.addElement(QName.get("value", "jabber:x:data")).setText("1 < 2 & \r\n caf\u00e9 \ud83d\ude00");
        x.addElement(QName.get("none", ""));

        String wire = encode(CLIENT_HEADER, message, StreamClose.INSTANCE);
        var decoded = new DecoderHarness().write(wire).read();

        assertThat(decoded).hasSize(3);
        assertThat(decoded.get(0)).isEqualTo(CLIENT_HEADER);
        assertThat(decoded.get(2)).isSameAs(StreamClose.INSTANCE);
        Element back = (Element) decoded.get(1);
        assertThat(XmppElementEncoder.toXml(back)).isEqualTo(XmppElementEncoder.toXml(message));
        assertThat(back.attributeValue("id")).isEqualTo("a&b<'\"\t\n");
        assertThat(back.element(QName.get("x", "jabber:x:data")).elementText(QName.get("value", "jabber:x:data")))
                .isEqualTo("1 < 2 & \r\n caf\u00e9 \ud83d\ude00");
    }

    @Test
    void onlyStreamObjectsAreEncoded() {
        XmppElementEncoder encoder = new XmppElementEncoder();
        assertThat(encoder.acceptOutboundMessage(CLIENT_HEADER)).isTrue();
        assertThat(encoder.acceptOutboundMessage(message())).isTrue();
        assertThat(encoder.acceptOutboundMessage(StreamClose.INSTANCE)).isTrue();
        assertThat(encoder.acceptOutboundMessage("<message/>")).isFalse();
        channel.writeOutbound("passes through");
        Object passed = channel.readOutbound();
        assertThat(passed).isEqualTo("passes through");
    }

    @Test
    void newHeaderStartsANewNamespaceContext() {
        encode(CLIENT_HEADER);
        encode(new StreamOpen(null, null, null, "1.0", null, Namespaces.SERVER));
        assertThat(encode(message())).startsWith("<message xmlns='jabber:client' ");
    }

    /**
     * Text and attribute values of every kind of character (markup, quotes, whitespace, controls,
     * lone and paired surrogates, non-characters, non-ASCII) written and read back: what comes back
     * is the value with the characters XML 1.0 does not allow dropped (§2.2, Char), whitespace in
     * attributes kept (escaped against attribute-value normalization, §3.3.3).
     */
    @Test
    void anyTextAndAttributeValueComesBackWithOnlyNonXmlCharactersDropped() {
        String alphabet = "ab <>&'\"\t\n\r\u0001\u0000\u007f\u00e9\u4e2d\ud800\udc00\ufffe\uffff\ue000";
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                if (random.nextInt(6) == 0) {
                    value.append("\ud83d\ude00");   // a pair
                } else {
                    value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            Element body = DocumentHelper.createElement(QName.get("body", Namespaces.CLIENT));
            body.addAttribute("a", value.toString());
            body.setText(value.toString());

            String wire = encode(CLIENT_HEADER, body, StreamClose.INSTANCE);
            Element back = (Element) new DecoderHarness().write(wire).read().get(1);

            String expected = xmlCharsOnly(value.toString());
            assertThat(back.attributeValue("a")).as("attribute of %s", wire).isEqualTo(expected);
            assertThat(back.getText()).as("text of %s", wire).isEqualTo(expected);
        }
    }

    private static String xmlCharsOnly(String value) {
        StringBuilder kept = new StringBuilder();
        value.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF
                || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF).forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
