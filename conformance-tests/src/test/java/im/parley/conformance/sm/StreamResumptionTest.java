package im.parley.conformance.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.KillableSockets;
import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.PinnedTrust;
import im.parley.conformance.XmppClient;
import im.parley.server.c2s.C2sSession;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * XEP-0198 stream management end to end with Smack 4.4 over TCP (STARTTLS): a client's TCP
 * connection is killed mid-conversation (RST, no closing handshake), the session hibernates on
 * the server, and either the client resumes it from a new connection (§5) or the window ends and
 * the messages it never acknowledged are in offline storage.
 */
class StreamResumptionTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    void resumedFromANewConnectionEveryMessageArrivesExactlyOnce() throws Exception {
        // XEP-0198 §5: "the server ... resends the unacknowledged stanzas"; the client resends its own.
        XmppClient romeo = parley.loggedIn("romeo");
        Phone juliet = new Phone(parley.newAccount("juliet"), 300);
        EntityFullJid julietJid = juliet.connection.getUser();
        assertThat(juliet.connection.isSmEnabled()).isTrue();

        for (int i = 1; i <= 5; i++) {
            romeo.sendsChat(julietJid, "m" + i);
        }
        await().atMost(XmppClient.WAIT).until(() -> juliet.bodies.size() == 5);

        juliet.killSocket();
        await().atMost(XmppClient.WAIT).until(() -> hibernated(julietJid));
        for (int i = 6; i <= 10; i++) {
            romeo.sendsChat(julietJid, "m" + i);
        }

        juliet.connection.connect().login();
        assertThat(juliet.connection.streamWasResumed()).isTrue();
        assertThat((Object) juliet.connection.getUser()).isEqualTo(julietJid);
        romeo.sendsChat(julietJid, "last");
        await().atMost(XmppClient.WAIT).until(() -> juliet.bodies.contains("last"));
        // Order is kept too: anything resent came before "last".
        assertThat(juliet.bodies).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "last");
        assertThat(parley.server().sessions().sessionsOf(julietJid.asEntityBareJid())).hasSize(1);
    }

    @Test
    void whenTheWindowEndsUnackedMessagesAreInOfflineStorage() throws Exception {
        // XEP-0198 §5: unacknowledged stanzas are treated as sent to an unavailable resource
        // (offline storage, XEP-0160); the window is the client's preferred max of one second.
        XmppClient romeo = parley.loggedIn("romeo");
        EntityBareJid account = parley.newAccount("juliet");
        Phone juliet = new Phone(account, 1);
        EntityFullJid julietJid = juliet.connection.getUser();
        for (int i = 1; i <= 3; i++) {
            romeo.sendsChat(julietJid, "m" + i);
        }
        await().atMost(XmppClient.WAIT).until(() -> juliet.bodies.size() == 3);
        juliet.killSocket();
        await().atMost(XmppClient.WAIT).until(() -> hibernated(julietJid));
        for (int i = 4; i <= 6; i++) {
            romeo.sendsChat(julietJid, "m" + i);
        }
        await().atMost(XmppClient.WAIT).until(() -> parley.server().sessions().sessionsOf(account).isEmpty());
        assertThat(romeo.connection().isConnected()).isTrue();

        Phone next = new Phone(account, 300);
        await().atMost(XmppClient.WAIT).until(() -> next.bodies.contains("m6"));
        // What the first connection never acknowledged comes once more, and nothing twice.
        assertThat(next.bodies).doesNotHaveDuplicates().contains("m4", "m5", "m6");
        List<String> all = new CopyOnWriteArrayList<>(juliet.bodies);
        all.addAll(next.bodies);
        assertThat(all).contains("m1", "m2", "m3", "m4", "m5", "m6");
    }

    /** True once the server saw the connection go and keeps the session without one. */
    private static boolean hibernated(EntityFullJid jid) {
        return parley.server().sessions().find(jid)
                .map(s -> s instanceof C2sSession c && !c.isConnected() && !c.isEnded()).orElse(false);
    }

    /** A Smack client with stream management and resumption, whose TCP connection the test can kill. */
    private static final class Phone {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final KillableSockets sockets = new KillableSockets();
        final XMPPTCPConnection connection;

        Phone(EntityBareJid account, int preferredResumptionSeconds) throws Exception {
            XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(ParleyServerExtension.DOMAIN)
                    .setHostAddress(InetAddress.getByName("127.0.0.1"))
                    .setPort(parley.c2sPort())
                    .setUsernameAndPassword(account.getLocalpart().toString(), ParleyServerExtension.PASSWORD)
                    .setResource("phone")
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(PinnedTrust.trustManager(parley.certificate()))
                    .setSocketFactory(sockets)
                    .setCompressionEnabled(false)
                    .build();
            connection = new XMPPTCPConnection(config);
            connection.setReplyTimeout(XmppClient.WAIT.toMillis());
            connection.setUseStreamManagement(true);
            connection.setUseStreamManagementResumption(true);
            connection.setPreferredResumptionTime(preferredResumptionSeconds);
            connection.addSyncStanzaListener(stanza -> bodies.add(((Message) stanza).getBody()),
                    stanza -> stanza instanceof Message m && m.getBody() != null);
            parley.track(connection::disconnect);
            connection.connect().login();
        }

        /** Resets the TCP connection: no {@code </stream:stream>}, no unavailable presence. */
        void killSocket() throws IOException {
            sockets.killLast();
        }
    }
}
