package im.parley.conformance.bosh;

import static im.parley.conformance.bosh.RawBoshClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.XmppClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A BOSH client that vanishes (XEP-0124 §10): after 'inactivity' without a request the session
 * ends like a dropped TCP connection (contacts get unavailable presence, RFC 6121 §4.6.3), and
 * the messages it never collected go to offline storage (XEP-0160) instead of being lost.
 */
class BoshInactivityTest {

    private static final Duration INACTIVITY = Duration.ofSeconds(2);

    @RegisterExtension
    static final HttpParley parley = new HttpParley(web -> web.withBosh(web.bosh().withInactivity(INACTIVITY)));

    @Test
    @DisplayName("a killed BOSH client's queued messages land in offline storage after 'inactivity'")
    void killedClientMessagesGoOffline() throws Exception {
        EntityBareJid account = parley.newAccount("juliet");
        XmppClient romeo = parley.tcpClient("romeo");
        RawBoshClient juliet = new RawBoshClient(parley.boshUrl());
        juliet.create(1, 1);
        String credentials = java.util.Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0"
                + HttpParley.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        await(juliet.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>"));
        juliet.restart();
        Element bound = await(juliet.send("<iq xmlns='jabber:client' type='set' id='b'><bind "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>"));
        var julietJid = JidCreate.entityFullFrom(bound.element("iq").element("bind").element("jid").getText());
        CompletableFuture<Element> last = juliet.send("<presence xmlns='jabber:client'/>"
                + "<presence xmlns='jabber:client' to='" + romeo.jid() + "'/>");
        romeo.receives("Juliet's presence", s -> s instanceof Presence p && p.isAvailable()
                && julietJid.equals(p.getFrom()));
        await(last);  // answered after 'wait' (1 s); from now on the client sends nothing: it was killed

        romeo.sendsChat(julietJid, "Is she not down so late, or up so early?");
        romeo.sendsChat(julietJid, "What unaccustom'd cause procures her hither?");

        romeo.receives("Juliet's unavailable presence after inactivity", s -> s instanceof Presence p
                && p.getType() == Presence.Type.unavailable && julietJid.equals(p.getFrom()));
        await().atMost(XmppClient.WAIT).until(() -> !parley.server().http().bosh().isLive(juliet.sid()));
        assertThat(romeo.messagesWithBody("Is she not down so late, or up so early?"))
                .as("no bounce: the message was stored").isEmpty();

        XmppClient julietAgain = parley.tcpClient(account);
        julietAgain.receivesChat(romeo.jid(), "Is she not down so late, or up so early?");
        julietAgain.receivesChat(romeo.jid(), "What unaccustom'd cause procures her hither?");
    }

    @Test
    @DisplayName("a message answered on a connection that broke is stored offline too, unless the client returns")
    void unacknowledgedResponseGoesOffline() throws Exception {
        EntityBareJid account = parley.newAccount("juliet");
        XmppClient romeo = parley.tcpClient("romeo");
        RawBoshClient juliet = new RawBoshClient(parley.boshUrl());
        var julietJid = JidCreate.entityFullFrom(juliet.login(account, HttpParley.PASSWORD));
        await().atMost(XmppClient.WAIT).until(() -> parley.server().sessions().find(julietJid).isPresent());
        // A request is held (login's last); the message is answered on it, then the client dies.
        romeo.sendsChat(julietJid, "Parting is such sweet sorrow");

        await().atMost(XmppClient.WAIT.plus(INACTIVITY))
                .until(() -> !parley.server().http().bosh().isLive(juliet.sid()));
        XmppClient julietAgain = parley.tcpClient(account);
        julietAgain.receivesChat(romeo.jid(), "Parting is such sweet sorrow");
    }
}
