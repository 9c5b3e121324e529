package im.parley.conformance.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.core.net.ByteRate;
import im.parley.server.config.ListenerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client read rate (limits.c2s_read_rate) applies to a WebSocket stream (RFC 7395) as to a
 * TCP one: messages sent faster are read at the rate and none is lost. As in the TCP test, only
 * a lower bound on the server's time is asserted: the burst plus one socket read (64 KiB) can
 * be read ahead of the rate.
 */
class WebSocketReadRateLimitTest {

    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    static final int RATE = 40_000;
    static final int BURST = 4096;
    static final int MOST_READ_AHEAD = 64 * 1024;

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(config -> config
            .withHttp(ListenerConfig.on("127.0.0.1", 0))
            .withWeb(config.web().withConsiderSecure(true))
            .withLimits(config.limits().withInput(config.limits().input().withC2sRead(new ByteRate(RATE, BURST)))));

    @Test
    @DisplayName("RFC 7395, RFC 6120 §13.12: a WebSocket client sending faster than the read rate is read at that rate")
    void fastWebSocketClientIsReadAtTheRateAndLosesNothing() {
        String user = parley.newAccount("ws-fast").getLocalpart().toString();
        WebSocketClient ws = WebSocketClient.open("ws://127.0.0.1:" + parley.server().httpPort() + "/xmpp-websocket",
                "xmpp");
        ws.send("<open xmlns='" + FRAMING + "' to='" + ParleyServerExtension.DOMAIN + "' version='1.0'/>");
        ws.next("features");
        ws.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Base64.getEncoder()
                .encodeToString(("\0" + user + "\0" + ParleyServerExtension.PASSWORD).getBytes(StandardCharsets.UTF_8))
                + "</auth>");
        assertThat(ws.next().getName()).isEqualTo("success");
        ws.send("<open xmlns='" + FRAMING + "' to='" + ParleyServerExtension.DOMAIN + "' version='1.0'/>");
        ws.next("features");
        ws.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>ws</resource></bind></iq>");
        String jid = ws.next("iq").element("bind").elementText("jid");

        int bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 80; i++) {
            String message = "<message xmlns='jabber:client' to='" + jid + "' id='m" + i + "'><body>" + "x".repeat(2000)
                    + "</body></message>";
            ws.send(message);
            bytes += message.length();
        }
        ws.send("<iq xmlns='jabber:client' type='get' id='last' to='" + ParleyServerExtension.DOMAIN
                + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        int messages = 0;
        for (Element e = ws.next(); !"last".equals(e.attributeValue("id")); e = ws.next()) {
            assertThat(e.attributeValue("id")).isEqualTo("m" + messages);
            messages++;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(messages).isEqualTo(80);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1000L * (bytes - BURST - MOST_READ_AHEAD) / RATE));
        ws.abort();
    }
}
