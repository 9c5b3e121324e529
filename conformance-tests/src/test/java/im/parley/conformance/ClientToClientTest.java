package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.SimpleIQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Two clients on one Parley server over STARTTLS: the everyday paths of RFC 6120 (TLS §5, SASL
 * §6, binding §7, stanzas §8), RFC 6121 delivery and XEP-0199 ping. Chat goes through Parley's
 * client SDK, as an app would; the tests that build their own IQs (ping, unknown payloads, the
 * legacy session) or address a full JID use Smack, which the SDK deliberately hides.
 */
class ClientToClientTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /**
     * RFC 6121 §5.2.2 (a chat message to the contact's account) and §8.5.2.1.1 (the server
     * delivers it to the account's available resource), both ways, written with Parley's client
     * SDK as an app would. The SDK's STARTTLS transport requires TLS (RFC 6120 §5.3.1), so the
     * login itself proves the stream was secured.
     */
    @Test
    @DisplayName("RFC 6121 §5.2.2: chat messages both ways between two SDK clients over STARTTLS")
    void messagesBothWays() {
        SdkUser romeo = parley.sdkLoggedIn("romeo");
        SdkUser juliet = parley.sdkLoggedIn("juliet");

        romeo.sendsChat(juliet, "Art thou not Romeo, and a Montague?");
        assertThat(juliet.receivesChat(romeo, "Art thou not Romeo, and a Montague?").sender().toString())
                .as("RFC 6120 §8.1.2.1: 'from' is the sender's full JID").isEqualTo(romeo.sessionJid().toString());

        juliet.sendsChat(romeo, "Neither, fair saint, if either thee dislike.");
        assertThat(romeo.receivesChat(juliet, "Neither, fair saint, if either thee dislike.").sender().toString())
                .isEqualTo(juliet.sessionJid().toString());
    }

    /** RFC 6120 §8.1.2.1: "the server MUST stamp the 'from' address with the full JID". */
    @Test
    @DisplayName("RFC 6120 §8.1.2.1: the server stamps 'from' with the sender's full JID")
    void serverStampsFrom() {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");

        romeo.sendsChat(juliet.jid(), "no from attribute on the wire");

        assertThat(juliet.receivesChat(romeo.bareJid(), "no from attribute on the wire").getFrom().toString())
                .isEqualTo(romeo.jid().toString());
    }

    /** RFC 6120 §8.2.3 and XEP-0199 §4.1: an IQ from one client to another's full JID and its result. */
    @Test
    @DisplayName("RFC 6120 §8.2.3 / XEP-0199 §4.1: IQ ping from client to client and its result")
    void iqBetweenClients() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        PingManager.getInstanceFor(juliet.connection()); // juliet's client answers pings

        IQ result = romeo.requests(new Ping(juliet.jid()));

        assertThat(result.getType()).isEqualTo(IQ.Type.result);
        assertThat(result.getFrom().toString()).isEqualTo(juliet.jid().toString());
    }

    /** XEP-0199 §4.2: "the server ... MUST return an IQ-result" to a client-to-server ping. */
    @Test
    @DisplayName("XEP-0199 §4.2: the server answers a ping")
    void pingTheServer() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");

        IQ result = romeo.requests(new Ping(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN)));

        assertThat(result.getType()).isEqualTo(IQ.Type.result);
        assertThat(PingManager.getInstanceFor(romeo.connection()).pingMyServer(false)).isTrue();
    }

    /**
     * RFC 6120 §8.4: "If an entity receives an IQ stanza ... that it does not understand ... it
     * MUST return ... service-unavailable".
     */
    @Test
    @DisplayName("RFC 6120 §8.4: unknown IQ namespace to the server gets service-unavailable")
    void unknownIqToServer() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");

        assertThat(romeo.requestFails(new UnknownPayloadIq(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN))))
                .isEqualTo(StanzaError.Condition.service_unavailable);
    }

    /** RFC 6121 §8.5.2.1.3 (IQ to a bare JID is handled by the server on the account's behalf) with RFC 6120 §8.4. */
    @Test
    @DisplayName("RFC 6121 §8.5.2.1.3: unknown IQ namespace to a bare JID gets service-unavailable")
    void unknownIqToBareJid() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");

        assertThat(romeo.requestFails(new UnknownPayloadIq(juliet.bareJid())))
                .isEqualTo(StanzaError.Condition.service_unavailable);
    }

    /**
     * draft-cridland-xmpp-session-01 §2: the server advertises the legacy session feature as
     * {@code <optional/>} and "MUST" still answer a client that sends the session IQ.
     */
    @Test
    @DisplayName("RFC 3921 §3 / draft-cridland-xmpp-session: the legacy session IQ gets a result")
    void legacySessionIq() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");

        IQ result = romeo.requests(new LegacySessionIq(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN)));

        assertThat(result.getType()).isEqualTo(IQ.Type.result);
    }

    /** An IQ get whose payload namespace nobody implements. */
    static final class UnknownPayloadIq extends SimpleIQ {
        UnknownPayloadIq(Jid to) {
            super("query", "urn:parley:conformance:no-such-feature");
            setType(IQ.Type.get);
            setTo(to);
        }
    }

    /** The RFC 3921 session establishment request. */
    static final class LegacySessionIq extends SimpleIQ {
        LegacySessionIq(Jid to) {
            super("session", "urn:ietf:params:xml:ns:xmpp-session");
            setType(IQ.Type.set);
            setTo(to);
        }
    }
}
