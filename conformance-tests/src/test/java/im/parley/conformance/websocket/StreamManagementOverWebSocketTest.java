package im.parley.conformance.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.XmppClient;
import im.parley.conformance.bosh.HttpParley;
import im.parley.server.c2s.C2sSession;
import im.parley.server.modules.sm.ManagedSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0198 stream management over WebSocket (RFC 7395): the WebSocket is aborted (no
 * {@code <close/>}, no closing handshake), the session hibernates, and either a new WebSocket
 * resumes it (§5) or the window ends and what the client never acknowledged is in offline
 * storage. The same {@code ManagedSession} as over TCP; what differs is the transport that goes
 * away and the one that takes over.
 */
class StreamManagementOverWebSocketTest {

    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    /** XEP-0198 §4 (acks), §5 (resumption: unacknowledged stanzas are sent again). */
    @Test
    @DisplayName("an aborted WebSocket is resumed from a new one and every message arrives exactly once")
    void resumedFromANewWebSocket() throws Exception {
        EntityBareJid account = parley.newAccount("juliet");
        XmppClient romeo = parley.tcpClient("romeo");
        WebSocketClient first = authenticated(account);
        EntityFullJid jid = bind(first);
        first.send("<enable xmlns='" + SM + "' resume='true'/>");
        Element enabled = first.next();
        assertThat(enabled.getName()).isEqualTo("enabled");
        assertThat(enabled.attributeValue("resume")).isIn("true", "1");
        String previd = enabled.attributeValue("id");
        assertThat(previd).isNotBlank();

        List<String> bodies = new ArrayList<>();
        acknowledgedUpToFive(romeo, jid, first, bodies);

        // §4: the server's h counts the stanzas it handled from the client since <enable/>.
        first.send("<message xmlns='jabber:client' type='chat' to='" + romeo.jid() + "'><body>Ay me!</body></message>");
        romeo.receivesChat(jid, "Ay me!");
        first.send("<r xmlns='" + SM + "'/>");
        assertThat(first.next("a").attributeValue("h")).isEqualTo("1");

        // Both go out on the first WebSocket; the client handles m6, and m7 is lost with the
        // connection (the client dies before reading it). Neither is acknowledged.
        romeo.sendsChat(jid, "m6");
        romeo.sendsChat(jid, "m7");
        bodies.add(first.next("message").elementText("body"));
        await().atMost(XmppClient.WAIT).until(() -> managed(jid).unackedCount() == 2);

        first.abort();
        await().atMost(XmppClient.WAIT).until(() -> hibernated(jid));
        romeo.sendsChat(jid, "m8");
        romeo.sendsChat(jid, "m9");

        WebSocketClient second = authenticated(account);
        second.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        second.next("open");
        assertThat(second.next("features").element("sm")).as("§2: offered after authentication").isNotNull();
        // §5: h is what the client handled (m1..m6): the server sends m7 again, then m8, m9.
        second.send("<resume xmlns='" + SM + "' previd='" + previd + "' h='6'/>");
        Element resumed = second.next();
        assertThat(resumed.getName()).isEqualTo("resumed");
        assertThat(resumed.attributeValue("previd")).isEqualTo(previd);
        assertThat(resumed.attributeValue("h")).as("§5: the server's count of handled stanzas").isEqualTo("1");

        romeo.sendsChat(jid, "last");
        bodies.addAll(bodiesUntil(second, "last"));
        assertThat(bodies).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "last");
        assertThat(parley.server().sessions().sessionsOf(account)).hasSize(1);
        second.abort();
    }

    /** XEP-0198 §5: when the window ends, unacknowledged stanzas go where an unavailable resource's would. */
    @Test
    @DisplayName("when the window of an aborted WebSocket ends, unacknowledged messages are in offline storage")
    void windowEndsIntoOfflineStorage() throws Exception {
        EntityBareJid account = parley.newAccount("juliet");
        XmppClient romeo = parley.tcpClient("romeo");
        WebSocketClient first = authenticated(account);
        EntityFullJid jid = bind(first);
        // §3: the client's preferred maximum (one second) shortens the window.
        first.send("<enable xmlns='" + SM + "' resume='true' max='1'/>");
        assertThat(first.next().getName()).isEqualTo("enabled");
        List<String> bodies = new ArrayList<>();
        acknowledgedUpToFive(romeo, jid, first, bodies);
        romeo.sendsChat(jid, "m6");
        romeo.sendsChat(jid, "m7");
        // Handled by the client but never acknowledged: the server cannot know they arrived.
        first.next("message");
        first.next("message");

        first.abort();
        await().atMost(XmppClient.WAIT).until(() -> hibernated(jid));
        romeo.sendsChat(jid, "m8");
        await().atMost(XmppClient.WAIT).until(() -> parley.server().sessions().sessionsOf(account).isEmpty());

        WebSocketClient next = authenticated(account);
        bind(next);
        next.send("<presence xmlns='jabber:client'/>");
        List<String> offline = new ArrayList<>();
        while (!offline.containsAll(List.of("m6", "m7", "m8"))) {
            offline.add(next.next("message").elementText("body"));
        }
        romeo.sendsChat(JidCreate.entityFullFrom(account + "/ws"), "last");
        offline.addAll(bodiesUntil(next, "last"));
        // Acknowledged ones are not delivered again; unacknowledged and queued ones exactly once.
        assertThat(offline).containsExactlyInAnyOrder("m6", "m7", "m8", "last");
        next.abort();
    }

    /**
     * m1..m5 from Romeo; the server asks for an ack after {@code request_ack_every} (5) stanzas
     * and the client answers {@code <a h='5'/>} (§4).
     */
    private static void acknowledgedUpToFive(XmppClient romeo, EntityFullJid jid, WebSocketClient ws, List<String> bodies) {
        for (int i = 1; i <= 5; i++) {
            romeo.sendsChat(jid, "m" + i);
        }
        int received = 0;
        while (true) {
            Element element = ws.next();
            if (element.getName().equals("message")) {
                bodies.add(element.elementText("body"));
                received++;
            } else if (element.getName().equals("r") && received == 5) {
                ws.send("<a xmlns='" + SM + "' h='" + received + "'/>");
                return;
            } else if (element.getName().equals("r")) {
                ws.send("<a xmlns='" + SM + "' h='" + received + "'/>");
            }
        }
    }

    private static List<String> bodiesUntil(WebSocketClient ws, String lastBody) {
        List<String> bodies = new ArrayList<>();
        while (!bodies.contains(lastBody)) {
            bodies.add(ws.next("message").elementText("body"));
        }
        return bodies;
    }

    /** RFC 7395 §3.4, RFC 6120 §6: a new WebSocket, authenticated with SASL PLAIN. */
    private static WebSocketClient authenticated(EntityBareJid account) {
        WebSocketClient ws = WebSocketClient.open(parley.websocketUrl(), "xmpp");
        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        ws.next("features");
        String credentials = Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0"
                + HttpParley.PASSWORD).getBytes(StandardCharsets.UTF_8));
        ws.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>");
        assertThat(ws.next().getName()).isEqualTo("success");
        return ws;
    }

    /** RFC 7395 §3.7 restart, then RFC 6120 §7 binding of the resource "ws". */
    private static EntityFullJid bind(WebSocketClient ws) throws Exception {
        ws.send("<open xmlns='" + FRAMING + "' to='" + HttpParley.DOMAIN + "' version='1.0'/>");
        ws.next("open");
        ws.next("features");
        ws.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>ws</resource></bind></iq>");
        return JidCreate.entityFullFrom(ws.next("iq").element("bind").elementText("jid"));
    }

    private static ManagedSession managed(EntityFullJid jid) {
        return parley.server().sessions().find(jid)
                .flatMap(s -> ((C2sSession) s).interceptor(ManagedSession.class)).orElseThrow();
    }

    /** True once the server saw the WebSocket go and keeps the session without a connection. */
    private static boolean hibernated(EntityFullJid jid) {
        return parley.server().sessions().find(jid)
                .map(s -> s instanceof C2sSession c && !c.isConnected() && !c.isEnded()).orElse(false);
    }
}
