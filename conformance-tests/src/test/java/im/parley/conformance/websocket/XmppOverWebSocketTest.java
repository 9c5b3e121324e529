package im.parley.conformance.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.XmppClient;
import im.parley.conformance.bosh.HttpParley;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** XMPP over WebSocket (RFC 7395) end to end, with the JDK's WebSocket client. */
class XmppOverWebSocketTest {

    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    /** RFC 7395 §3.4, §3.7, §3.6 with RFC 6120 §6, §7: the whole life of a stream. */
    @Test
    @DisplayName("a WebSocket client logs in, exchanges messages and presence with a TCP client, and closes")
    void loginAndTalk() throws Exception {
        EntityBareJid account = parley.newAccount("juliet");
        XmppClient romeo = parley.tcpClient("romeo");
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl(), "xmpp");
        assertThat(ws.subprotocol()).isEqualTo("xmpp");

        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        Element open = ws.next();
        assertThat(open.getQName().getNamespaceURI()).isEqualTo(FRAMING);
        assertThat(open.getName()).isEqualTo("open");
        assertThat(open.attributeValue("from")).isEqualTo(HttpParley.DOMAIN);
        assertThat(open.attributeValue("id")).isNotBlank();
        Element features = ws.next();
        assertThat(features.getName()).isEqualTo("features");
        assertThat(features.element("starttls")).as("RFC 7395 §3.9: no STARTTLS").isNull();

        String credentials = Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0"
                + HttpParley.PASSWORD).getBytes(StandardCharsets.UTF_8));
        ws.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>");
        assertThat(ws.next().getName()).isEqualTo("success");

        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        assertThat(ws.next().getName()).isEqualTo("open");
        assertThat(ws.next().element("bind")).isNotNull();
        ws.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>ws</resource></bind></iq>");
        Element bound = ws.next("iq");
        var jid = JidCreate.entityFullFrom(bound.element("bind").elementText("jid"));
        assertThat(jid.asEntityBareJid().toString()).isEqualTo(account.toString());

        ws.send("<presence xmlns='jabber:client'/>");
        ws.send("<presence xmlns='jabber:client' to='" + romeo.jid() + "'><status>at the window</status></presence>");
        romeo.receives("Juliet's presence", s -> s instanceof Presence p && p.isAvailable() && jid.equals(p.getFrom()));

        romeo.sendsChat(jid, "But soft, what light through yonder window breaks?");
        Element message = ws.next("message");
        assertThat(message.getNamespaceURI()).as("RFC 7395 §3.3.3: stanzas carry jabber:client").isEqualTo("jabber:client");
        assertThat(message.elementText("body")).isEqualTo("But soft, what light through yonder window breaks?");

        ws.send("<message xmlns='jabber:client' type='chat' to='" + romeo.jid() + "'><body>Ay me!</body></message>");
        romeo.receivesChat(jid, "Ay me!");

        ws.send("<close xmlns='" + FRAMING + "'/>");
        assertThat(ws.next("close").getNamespaceURI()).isEqualTo(FRAMING);
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        romeo.receives("unavailable presence", s -> s instanceof Presence p
                && p.getType() == Presence.Type.unavailable && jid.equals(p.getFrom()));
    }

    /** RFC 7395 §3.1: the xmpp subprotocol is what makes the connection an XMPP stream. */
    @Test
    @DisplayName("a WebSocket without the xmpp subprotocol is closed with a protocol error")
    void subprotocolRequired() throws Exception {
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl());
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1002);
    }

    /** RFC 7395 §3.8: WebSocket pings are answered with pongs. */
    @Test
    @DisplayName("a WebSocket ping gets a pong")
    void pingPong() throws Exception {
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl(), "xmpp");
        ws.ping("are you there");
        assertThat(StandardCharsets.UTF_8.decode(ws.pong.get(10, TimeUnit.SECONDS)).toString()).isEqualTo("are you there");
        ws.abort();
    }

    /** RFC 6120 §11.1 and RFC 7395 §3.5: restricted XML ends the stream with a stream error, then close. */
    @Test
    @DisplayName("a message with a DTD gets restricted-xml, then <close/>")
    void restrictedXml() throws Exception {
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl(), "xmpp");
        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        ws.next("features");
        ws.send("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>");
        Element error = ws.next("error");
        assertThat(error.element("restricted-xml")).isNotNull();
        assertThat(ws.next().getName()).isEqualTo("close");
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    /** RFC 7395 §3.2: each message is exactly one element. */
    @Test
    @DisplayName("two elements in one message are not well-formed for the framing")
    void oneElementPerMessage() throws Exception {
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl(), "xmpp");
        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        ws.next("features");
        ws.send("<presence xmlns='jabber:client'/><presence xmlns='jabber:client'/>");
        assertThat(ws.next("error").element("not-well-formed")).isNotNull();
    }
}
