package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** The RFC 7395 framing codec, bytes in and objects out (STYLE.md #7). */
class XmppFramingCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new XmppFramingDecoder(1024, new XmlLimits(1024, 16)), new XmppFramingEncoder());

    /** RFC 7395 §3.4: {@code <open/>} is the stream header of a jabber:client stream. */
    @Test
    void openBecomesAStreamHeader() {
        channel.writeInbound(text("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.org' version='1.0' xml:lang='en'/>"));
        assertThat((Object) channel.readInbound())
                .isEqualTo(new StreamOpen("example.org", null, null, "1.0", "en", Namespaces.CLIENT));
    }

    @Test
    void closeAndStanzas() {
        channel.writeInbound(text("<message xmlns='jabber:client' to='a@example.org'><body>hi</body></message>"));
        Element message = channel.readInbound();
        assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(message.elementText("body")).isEqualTo("hi");
        channel.writeInbound(text("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"));
        assertThat((Object) channel.readInbound()).isSameAs(StreamClose.INSTANCE);
    }

    /** RFC 6120 §11.1: no DTD or entity is ever expanded. */
    @Test
    void entitiesAreRestrictedXml() {
        channel.writeInbound(text("<!DOCTYPE m [<!ENTITY big 'boom'>]><message xmlns='jabber:client'>&big;</message>"));
        assertThat(((StreamFault) channel.readInbound()).error().condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
        channel.writeInbound(text("<message xmlns='jabber:client'/>"));
        assertThat((Object) channel.readInbound()).as("nothing after a fault").isNull();
    }

    @Test
    void oversizedAndBinaryMessagesFault() {
        channel.writeInbound(text("<message xmlns='jabber:client'><body>" + "x".repeat(2000) + "</body></message>"));
        assertThat(((StreamFault) channel.readInbound()).error().condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);

        EmbeddedChannel other = new EmbeddedChannel(new XmppFramingDecoder(1024, new XmlLimits(1024, 16)));
        other.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        assertThat(((StreamFault) other.readInbound()).error().condition()).isEqualTo(StreamErrorCondition.BAD_FORMAT);
    }

    @Test
    void incompleteElementIsNotWellFormed() {
        channel.writeInbound(text("<message xmlns='jabber:client'><body>"));
        assertThat(((StreamFault) channel.readInbound()).error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    /** RFC 7395 §3.3.3: every element is sent standalone, stanzas qualified by jabber:client. */
    @Test
    void outputIsOneElementPerMessage() throws Exception {
        channel.writeOutbound(new StreamOpen(null, "example.org", "s1", "1.0", "en", Namespaces.CLIENT));
        assertThat(((TextWebSocketFrame) channel.readOutbound()).text())
                .isEqualTo("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='example.org' id='s1' "
                        + "version='1.0' xml:lang='en'/>");
        Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", Namespaces.CLIENT));
        message.addElement(org.dom4j.QName.get("body", Namespaces.CLIENT)).setText("hi");
        channel.writeOutbound(message);
        String xml = ((TextWebSocketFrame) channel.readOutbound()).text();
        assertThat(DocumentHelper.parseText(xml).getRootElement().getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        channel.writeOutbound(StreamClose.INSTANCE);
        assertThat(((TextWebSocketFrame) channel.readOutbound()).text()).contains("close").contains("xmpp-framing");
    }

    private static TextWebSocketFrame text(String xml) {
        return new TextWebSocketFrame(xml);
    }
}
