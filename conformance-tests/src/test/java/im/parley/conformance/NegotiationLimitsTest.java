package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import java.time.Duration;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Limits on stream negotiation, on a server with short settings: the negotiation timeout and
 * the per-address authentication failure throttle. The throttle counts failures per client
 * address and every test client is 127.0.0.1, so the throttle test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NegotiationLimitsTest {

    static final int MAX_AUTH_FAILURES = 3;

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension(limits -> limits
            .withNegotiationTimeout(Duration.ofMillis(500))
            .withMaxAuthFailures(MAX_AUTH_FAILURES)
            .withAuthFailureWindow(Duration.ofMinutes(5)));

    /** RFC 6120 §4.9.3.4: connection-timeout for a peer that "has not generated any traffic ... for some period". */
    @Test
    @Order(1)
    @DisplayName("RFC 6120 §4.9.3.4: a stream that does not authenticate in time gets <connection-timeout/>")
    void negotiationTimeout() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();

        assertThat(client.streamErrorCondition()).isEqualTo("connection-timeout");
    }

    /** The timeout also applies to a stream that authenticated but never bound a resource. */
    @Test
    @Order(2)
    @DisplayName("RFC 6120 §4.9.3.4: authenticated but never bound: <connection-timeout/>")
    void authenticatedButNotBound() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();
        client.authenticatePlain(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD);
        client.restartStream();

        assertThat(client.streamErrorCondition()).isEqualTo("connection-timeout");
    }

    /**
     * RFC 6120 §6.5.12: temporary-auth-failure; RFC 4422 §6.1 / RFC 6120 §13.9 on dictionary
     * attacks. After {@value #MAX_AUTH_FAILURES} failures from one address within the window,
     * even the right password is refused, on this stream and on a new one.
     */
    @Test
    @Order(3)
    @DisplayName("RFC 6120 §6.5.12: repeated failures from one address get <temporary-auth-failure/>")
    void throttling() {
        EntityBareJid romeo = parley.newAccount("romeo");
        String user = romeo.getLocalpart().toString();
        RawXmppClient client = tlsClient();
        for (int i = 0; i < MAX_AUTH_FAILURES; i++) {
            Element failure = client.authenticate(new ScramClient(ScramClient.Hash.SHA_256, user, "guess " + i));
            assertThat(RawXmppClient.saslFailureCondition(failure)).isEqualTo("not-authorized");
        }

        Element refused = client.authenticatePlain(user, ParleyServerExtension.PASSWORD);
        assertThat(RawXmppClient.saslFailureCondition(refused)).isEqualTo("temporary-auth-failure");

        Element refusedOnNewStream = tlsClient().authenticatePlain(user, ParleyServerExtension.PASSWORD);
        assertThat(RawXmppClient.saslFailureCondition(refusedOnNewStream)).isEqualTo("temporary-auth-failure");
    }

    private static RawXmppClient tlsClient() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();
        return client;
    }
}
