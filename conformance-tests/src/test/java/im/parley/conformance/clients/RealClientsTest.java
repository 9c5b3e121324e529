package im.parley.conformance.clients;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.clients.ClientScript.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real third-party clients against Parley, each driven headless by a script of
 * {@code src/test/clients}: each logs in (RFC 6120 §5 STARTTLS, §6 SASL, §7 binding), is made a
 * mutual contact of a slixmpp peer (RFC 6121 §3 subscriptions), is seen online by it (RFC 6121
 * §4.2.2 presence broadcast) and exchanges chat messages with it (RFC 6121 §5.2). A client that
 * is missing is a failure, never a skip: the scripts install it (Debian packages) or fail.
 *
 * <p>Each client gets its own pair of accounts, so a session one client leaves behind cannot
 * answer for another.
 */
class RealClientsTest {

    @TempDir
    static Path serverDir;
    private static ClientsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ClientsServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Pidgin's libpurple, through its console UI finch (tmux) and its D-Bus API. */
    @Test
    void libpurpleThroughFinchChatsAndSeesPresence(@TempDir Path tmp) throws Exception {
        assertPasses(client("libpurple-finch", "purple").run(tmp));
    }

    /** libpurple again, over direct TLS (XEP-0368) on the second listener. */
    @Test
    void libpurpleOverDirectTls(@TempDir Path tmp) throws Exception {
        Outcome outcome = client("libpurple-finch", "purpletls")
                .env("XMPP_TLS", "directtls")
                .env("XMPP_PORT", server.directTlsPort())
                .run(tmp);
        assertPasses(outcome);
    }

    /** profanity (libstrophe), its message typed into the UI in tmux. */
    @Test
    void profanityChatsAndSeesPresence(@TempDir Path tmp) throws Exception {
        assertPasses(client("profanity", "profanity").run(tmp));
    }

    /**
     * slixmpp's plugins for carbons, the archive and PEP, two resources of one account: each sees
     * what the other sends and receives as carbons (XEP-0280 §6, "sent" and "received"); a tune
     * published to PEP reaches the contact whose caps say {@code +notify} (XEP-0163 §4, XEP-0115);
     * a fresh session finds the whole conversation in the archive, paged with RSM (XEP-0313
     * §4.1.1 "with", XEP-0059 §2.1).
     */
    @Test
    void slixmppCarbonsArchiveAndPep(@TempDir Path tmp) throws Exception {
        assertPasses(client("slixmpp-history", "slixmpp").run(tmp));
    }

    /**
     * profanity's carbons and archive: what another resource of the account sends shows in
     * profanity's chat with the peer (XEP-0280 §6, "sent"); what it sends while profanity is away
     * shows after profanity reconnects with {@code /mam on} and opens that chat (XEP-0313 §4).
     */
    @Test
    void profanityShowsCarbonsAndTheArchive(@TempDir Path tmp) throws Exception {
        // This run once failed about one time in three: profanity quit with the sent carbon
        // unacknowledged, Parley stored that copy offline (XEP-0198 §5), the next session got it
        // at login and profanity opened the chat from it, so opening the chat later made no new
        // window and asked the archive nothing. Unacknowledged carbon copies are dropped now
        // (StreamManagementTest.anUnacknowledgedCarbonCopyIsNotStoredOffline).
        assertPasses(client("profanity-history", "profhistory").timeout(75).run(tmp));
    }

    /** go-sendxmpp: listening (online, receives) and sending. */
    @Test
    void goSendxmppListensAndSends(@TempDir Path tmp) throws Exception {
        assertPasses(client("go-sendxmpp", "gosendxmpp").run(tmp));
    }

    /** The Perl sendxmpp (Net::XMPP): SASL PLAIN after STARTTLS (RFC 4616), sends one message. */
    @Test
    void sendxmppSends(@TempDir Path tmp) throws Exception {
        assertPasses(client("sendxmpp", "sendxmpp").run(tmp));
    }

    private static ClientScript client(String script, String localpart) throws Exception {
        String jid = server.account(localpart);
        String peer = server.account(localpart + "-peer");
        return ClientScript.named(script).against(server, jid, peer);
    }

    private static void assertPasses(Outcome outcome) {
        assertThat(outcome.passed())
                .as("%s: %s (exit %d)%n--- script output ---%n%s", outcome.name(), outcome.verdict(),
                        outcome.exitStatus(), outcome.output())
                .isTrue();
    }
}
