package im.parley.conformance.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.Element;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqregister.packet.Registration;
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

    private static final String NOT_AUTHORIZED = "stream error " + StreamError.Condition.not_authorized;

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
     *
     * <p>Smack 4.4's {@code StanzaCollector.nextResult} stops waiting as soon as the connection
     * has failed, without looking at a result it already holds: when the result and the stream
     * error arrive together, before the calling thread waits, {@code deleteAccount()} throws
     * {@code NotConnectedException} although the result came first. So the test checks what the
     * server sent, in the order Smack read it (its reader thread applies the filters of the
     * collectors to each stanza as it reads it, before it reads the next element): the result of
     * the removal, then {@code <not-authorized/>}, promptly; and either outcome of
     * {@code deleteAccount()}.
     */
    @Test
    @DisplayName("XEP-0077 §3.2: Smack's account removal gets the result, then the stream error, and the connection ends at once")
    void smackRemovesItsAccountWithoutWaiting() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XMPPTCPConnection connection = romeo.connection();
        connection.setReplyTimeout(PROMPTLY.toMillis());
        List<String> removals = new CopyOnWriteArrayList<>();
        connection.addStanzaSendingListener(sent -> removals.add(sent.getStanzaId()),
                sent -> sent instanceof Registration);
        List<String> read = new CopyOnWriteArrayList<>();
        // Collectors' filters run on Smack's reader thread as each stanza is read (its stanza
        // listeners, even the "synchronous" ones, run later on another thread).
        StanzaCollector results = connection.createStanzaCollector(stanza -> {
            if (stanza instanceof IQ && ((IQ) stanza).getType() == IQ.Type.result) {
                read.add("result " + stanza.getStanzaId());
            }
            return false;
        });
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                read.add(e instanceof XMPPException.StreamErrorException
                        ? "stream error " + ((XMPPException.StreamErrorException) e).getStreamError().getCondition()
                        : "closed on " + e);
            }
        });

        try {
            AccountManager.getInstance(connection).deleteAccount();
        } catch (SmackException.NotConnectedException lostToTheRace) {
            assertThat(lostToTheRace).hasRootCauseInstanceOf(XMPPException.StreamErrorException.class);
        }

        await("the connection ends").atMost(PROMPTLY).until(() -> !connection.isConnected());
        await("Smack's record of its request").atMost(PROMPTLY).until(() -> removals.size() == 1);
        await("the stream error, after the result").atMost(PROMPTLY).untilAsserted(() -> assertThat(read)
                .as("what Smack read, in order").endsWith("result " + removals.get(0), NOT_AUTHORIZED));
        results.cancel();
        assertThat(parley.server().accounts().exists(romeo.bareJid())).isFalse();
    }
}
