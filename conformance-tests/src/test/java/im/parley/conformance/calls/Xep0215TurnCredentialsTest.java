package im.parley.conformance.calls;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.server.modules.extdisco.ExternalService;
import im.parley.server.modules.extdisco.ExternalServiceModule;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * TURN credentials from External Service Discovery (XEP-0215 §3.2) used at a real coturn: Smack
 * asks Parley for the TURN service, and the credentials it gets make an Allocate (RFC 5766 §6)
 * succeed at a {@code turnserver} that shares Parley's secret ({@code --use-auth-secret}); wrong or
 * expired credentials are refused.
 */
class Xep0215TurnCredentialsTest {

    private static final String REALM = ParleyServerExtension.DOMAIN;
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private static final int TURN_PORT = TurnServerProcess.freePort();

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(config -> config
            .with(ExternalServiceModule.SERVICES, List.of(new ExternalService(TurnServerProcess.ADDRESS, TURN_PORT,
                    "turn", "udp", true, null)))
            .with(ExternalServiceModule.SECRET, SECRET));

    @TempDir
    static Path dir;

    private static TurnServerProcess turn;

    @BeforeAll
    static void startCoturn() throws Exception {
        turn = TurnServerProcess.start(dir, TURN_PORT, REALM, SECRET);
    }

    @AfterAll
    static void stopCoturn() {
        if (turn != null) {
            turn.close();
        }
    }

    @Test
    @DisplayName("XEP-0215 §3.2 + RFC 5766 §6: the credentials Parley hands out allocate a relay at coturn")
    void theHandedOutCredentialsAllocateARelay() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        Element service = turnService(romeo);
        assertThat(service.attributeValue("host")).isEqualTo(TurnServerProcess.ADDRESS);
        assertThat(service.attributeValue("port")).isEqualTo(Integer.toString(TURN_PORT));
        assertThat(Instant.parse(service.attributeValue("expires"))).isAfter(Instant.now());

        StunMessage success = allocate(service.attributeValue("username"), service.attributeValue("password"));

        // RFC 5766 §6.3: a success response with "an XOR-RELAYED-ADDRESS attribute containing the relayed transport address".
        assertThat(success.type()).as("error %s", success.errorCode()).isEqualTo(StunMessage.ALLOCATE_SUCCESS);
        InetSocketAddress relayed = success.xorAddress(StunMessage.XOR_RELAYED_ADDRESS);
        assertThat(relayed.getAddress().getHostAddress()).isEqualTo(TurnServerProcess.ADDRESS);
        assertThat(relayed.getPort()).isPositive();
    }

    @Test
    @DisplayName("RFC 5766 §6.2, §4: coturn refuses a wrong password and credentials whose time has passed")
    void wrongOrExpiredCredentialsAreRefused() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        Element service = turnService(juliet);
        String username = service.attributeValue("username");

        assertThat(allocate(username, "not" + service.attributeValue("password")).errorCode()).isEqualTo(401);

        // draft-uberti-behave-turn-rest-00 §2.2: the username's timestamp is when it expires.
        String expired = (Instant.now().getEpochSecond() - 60) + username.substring(username.indexOf(':'));
        assertThat(allocate(expired, turnRestPassword(expired)).errorCode()).isEqualTo(401);
        // The same scheme with a time still ahead works: what refused it was the expiry alone.
        String ahead = (Instant.now().getEpochSecond() + 60) + username.substring(username.indexOf(':'));
        assertThat(allocate(ahead, turnRestPassword(ahead)).type()).isEqualTo(StunMessage.ALLOCATE_SUCCESS);
    }

    /** XEP-0215 §3.2: the services of type turn, as Parley answers Smack (no provider: the raw XML). */
    private static Element turnService(XmppClient client) throws Exception {
        IQ answer = client.requests(new ServicesRequest("turn"));
        Element services = DocumentHelper.parseText(((UnparsedIQ) answer).getContent().toString()).getRootElement();
        assertThat(services.getNamespaceURI()).isEqualTo(ExternalServiceModule.NAMESPACE);
        List<Element> found = services.elements("service");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).attributeValue("restricted")).isEqualTo("1");
        return found.get(0);
    }

    /**
     * RFC 5766 §6.1-§6.4 with the long-term credential mechanism (RFC 5389 §10.2): the first
     * Allocate, without credentials, gets 401 with REALM and NONCE; the second carries them and
     * the USERNAME, signed with MESSAGE-INTEGRITY.
     */
    private static StunMessage allocate(String username, String password) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TurnServerProcess.ADDRESS, 0))) {
            socket.setSoTimeout(5000);
            StunMessage first = StunMessage.request(StunMessage.ALLOCATE_REQUEST).requestingUdp();
            StunMessage challenge = turn.exchange(socket, first, first.encode());
            assertThat(challenge.type()).isEqualTo(StunMessage.ALLOCATE_ERROR);
            assertThat(challenge.errorCode()).isEqualTo(401);
            assertThat(challenge.text(StunMessage.REALM)).isEqualTo(REALM);
            String nonce = challenge.text(StunMessage.NONCE);
            assertThat(nonce).isNotEmpty();

            StunMessage second = StunMessage.request(StunMessage.ALLOCATE_REQUEST).requestingUdp()
                    .with(StunMessage.USERNAME, username).with(StunMessage.REALM, REALM)
                    .with(StunMessage.NONCE, nonce);
            return turn.exchange(socket, second, second.encodeWithIntegrity(username, REALM, password));
        }
    }

    private static String turnRestPassword(String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code <services xmlns='urn:xmpp:extdisco:2' type='...'/>} to the user's own server. */
    private static final class ServicesRequest extends IQ {
        private final String type;

        ServicesRequest(String type) throws Exception {
            super("services", ExternalServiceModule.NAMESPACE);
            this.type = type;
            setType(Type.get);
            setTo(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.attribute("type", type);
            xml.setEmptyElement();
            return xml;
        }
    }
}
