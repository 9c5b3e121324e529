package im.parley.conformance.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import java.time.Duration;
import org.dom4j.Element;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0077 (2.4) §3.2, an entity cancels its registration with its home server: "the server
 * SHOULD then return a &lt;not-authorized/&gt; stream error and terminate all active sessions for
 * the entity", after "Host Informs Entity of Successful Cancellation" (the IQ result). A stream
 * error closes the stream (RFC 6120 §4.9.1.1: the error, then {@code </stream:stream>}, then the
 * connection), so the client sees the result, the error and the end of the stream, at once.
 */
class Xep0077Section3_2Test {

    /** Far below the five seconds a client used to wait for the end of the stream. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("XEP-0077 §3.2: account removal: the result, then <not-authorized/>, and the stream ends at once, on every session")
    void removalAnswersThenClosesEverySession() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient orchard = parley.raw();
        orchard.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "orchard");
        RawXmppClient balcony = parley.raw();
        balcony.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "balcony");

        long start = System.nanoTime();
        Element result = orchard.iq("<iq type='set' id='%s'><query xmlns='jabber:iq:register'><remove/></query></iq>");
        assertThat(result.attributeValue("type")).as(result.asXML()).isEqualTo("result");
        assertThat(orchard.streamErrorCondition()).isEqualTo("not-authorized");
        Duration removing = Duration.ofNanos(System.nanoTime() - start);

        assertThat(balcony.streamErrorCondition()).as("the account's other session").isEqualTo("not-authorized");
        assertThat(removing).as("from <remove/> to the end of the stream").isLessThan(PROMPTLY);
        assertThat(parley.server().accounts().exists(romeo)).isFalse();
    }

    /**
     * Smack (with stream management) still writes after its request ({@code <r/>}, {@code <a/>})
     * while the server ends the stream. Were the connection closed right after
     * {@code </stream:stream>}, the kernel would answer that input with a reset and Smack would
     * lose the result and the stream error it had not read yet ("Connection reset by peer", then a
     * wait for its reply timeout). The server closes as RFC 6120 §4.4 describes instead (half
     * close, then reads until the peer closes, within a bound: {@code GracefulClose}).
     */
    @Test
    @DisplayName("XEP-0077 §3.2: Smack's account removal returns at once and the connection ends")
    void smackRemovesItsAccountWithoutWaiting() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        romeo.connection().setReplyTimeout(PROMPTLY.toMillis());

        AccountManager.getInstance(romeo.connection()).deleteAccount();

        await("the connection ends").atMost(PROMPTLY).until(() -> !romeo.connection().isConnected());
        assertThat(parley.server().accounts().exists(romeo.bareJid())).isFalse();
    }
}
