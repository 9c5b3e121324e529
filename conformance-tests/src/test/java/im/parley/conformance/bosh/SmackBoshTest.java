package im.parley.conformance.bosh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.XmppClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Smack's BOSH transport ({@code smack-bosh} 4.4, over jbosh) against Parley: SASL, binding
 * and routing are the TCP session code path, only the framing differs (XEP-0206 §1).
 */
class SmackBoshTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    /** XEP-0206 §4, §5, §6: session creation, SASL, restart, binding; then stanzas both ways. */
    @Test
    @DisplayName("a Smack BOSH client logs in and exchanges presence and messages with a TCP client")
    void boshAndTcpClientsTalk() throws Exception {
        List<Stanza> received = new CopyOnWriteArrayList<>();
        XMPPBOSHConnection juliet = boshClient(parley.newAccount("juliet"), received);
        XmppClient romeo = parley.tcpClient("romeo");

        Presence directed = juliet.getStanzaFactory().buildPresenceStanza().to(romeo.jid())
                .setStatus("on the balcony").build();
        juliet.sendStanza(directed);
        romeo.receives("Juliet's presence", s -> s instanceof Presence p && p.isAvailable()
                && juliet.getUser().equals(p.getFrom()) && "on the balcony".equals(p.getStatus()));

        juliet.sendStanza(juliet.getStanzaFactory().buildMessageStanza().to(romeo.jid())
                .ofType(Message.Type.chat).setBody("Romeo, Romeo! wherefore art thou Romeo?").build());
        romeo.receivesChat(juliet.getUser(), "Romeo, Romeo! wherefore art thou Romeo?");

        romeo.sendsChat(juliet.getUser(), "I take thee at thy word");
        await().atMost(XmppClient.WAIT).until(() -> received.stream().anyMatch(s -> s instanceof Message m
                && "I take thee at thy word".equals(m.getBody()) && romeo.jid().equals(m.getFrom())));

        juliet.sendStanza(juliet.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                .to(romeo.jid()).build());
        romeo.receives("Juliet's unavailable presence", s -> s instanceof Presence p
                && p.getType() == Presence.Type.unavailable && juliet.getUser().equals(p.getFrom()));
    }

    /** XEP-0124 §7.1: two sessions at once, each its own stream and resource. */
    @Test
    @DisplayName("two BOSH clients of one account get separate sessions and resources")
    void twoBoshSessions() throws Exception {
        EntityBareJid account = parley.newAccount("nurse");
        XMPPBOSHConnection first = boshClient(account, new CopyOnWriteArrayList<>());
        XMPPBOSHConnection second = boshClient(account, new CopyOnWriteArrayList<>());
        assertThat(first.getUser().toString()).isNotEqualTo(second.getUser().toString());
        assertThat(first.getUser().asEntityBareJid().toString()).isEqualTo(account.toString());
    }

    private static XMPPBOSHConnection boshClient(EntityBareJid account, List<Stanza> received) throws Exception {
        BOSHConfiguration configuration = BOSHConfiguration.builder()
                .setXmppDomain(HttpParley.DOMAIN)
                // A name, not an address: Smack 4.4.8 builds the BOSH URL from InetAddress.toString()
                // for an address ("http:///127.0.0.1:…"), which its HTTP client rejects.
                .setHost("localhost")
                .setPort(parley.server().httpPort())
                .setFile("/http-bind")
                .setUseHttps(false)
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(account.getLocalpart().toString(), HttpParley.PASSWORD)
                .build();
        XMPPBOSHConnection connection = new XMPPBOSHConnection(configuration);
        connection.setReplyTimeout(XmppClient.WAIT.toMillis());
        connection.addSyncStanzaListener(received::add, stanza -> true);
        parley.track(connection::disconnect);
        connection.connect().login();
        return connection;
    }
}
