package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.SocketClient;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XEP-0478 §4 end to end: a.test (Parley, 127.0.0.61) federates with b.test, a receiving server
 * scripted by the test (127.0.0.62) that announces {@code <max-bytes>1000</max-bytes>} (§3.1).
 * Plaintext and dialback, so that the script stays short: what is under test is the limit.
 */
class PeerStreamLimitsTest {

    private static final String IP_A = "127.0.0.61";
    private static final String IP_B = "127.0.0.62";

    @TempDir
    Path dir;

    /**
     * XEP-0478 §4: a local user's message larger than the remote server's limit comes back to the
     * user's client as {@code policy-violation}; the small one sent right after it reaches the
     * remote server on the same stream, which stays up.
     */
    @Test
    void aMessageOverTheRemoteServersLimitComesBackToItsSenderAndTheNextOneGoes() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(IP_B, 0));
            listener.setSoTimeout(20_000);
            try (FederatedServer a = new FederatedServer(FederatedServer.config("a.test", IP_A,
                    FederatedServer.freePort(IP_A), dir, Map.of(),
                    f -> f.withStaticRoutes(Map.of("b.test", IP_B + ":" + listener.getLocalPort()))
                            .withRequireEncryption(false).withRequireValidCertificates(false)), IP_A)) {
                a.user("alice@a.test");
                SocketClient alice = a.login("alice@a.test", "laptop");

                alice.send("<message to='bob@b.test' type='chat' id='big'><body>" + "x".repeat(2000)
                        + "</body></message>");
                try (RawS2sPeer b = new RawS2sPeer(listener.accept())) {
                    b.await("<stream:stream[^>]*>");
                    b.send(RawS2sPeer.header("b.test", "a.test", "b-stream-1") + "<stream:features>"
                            + "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
                            + "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>1000</max-bytes></limits>"
                            + "</stream:features>");
                    b.await("</db:result>");
                    b.send("<db:result from='b.test' to='a.test' type='valid'/>");

                    Element bounce = alice.next(e -> "big".equals(e.attributeValue("id")));
                    assertThat(bounce.attributeValue("type")).isEqualTo("error");
                    assertThat(bounce.attributeValue("from")).isEqualTo("bob@b.test");
                    Element error = bounce.element("error");
                    assertThat(error.attributeValue("type")).isEqualTo("modify");
                    assertThat(error.attributeValue("by")).isNull();
                    assertThat(error.element("policy-violation")).as(bounce.asXML()).isNotNull();
                    assertThat(error.elementText("text")).contains("b.test").contains("1000");

                    alice.send("<message to='bob@b.test' type='chat' id='small'><body>hi</body></message>");
                    String small = b.await("<message[^>]*>.*?</message>").group();
                    assertThat(small).contains("id='small'").contains("<body>hi</body>");
                    assertThat(a.s2s().outboundStatus("a.test", "b.test")).isEqualTo("ESTABLISHED by dialback");
                }
            }
        }
    }
}
