package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Delivery of messages addressed to a bare JID (RFC 6121 §8.5.2). Priorities, full-JID
 * addressing, pings that prove the server processed a stanza and error bounces are below what
 * Parley's client SDK exposes, so those clients are Smack; the recipient of stored messages
 * uses the SDK.
 */
class MessageDeliveryTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /**
     * RFC 6121 §8.5.2.1.1: a chat message to the bare JID goes to the available resource(s)
     * "with the highest (non-negative) priority".
     */
    @Test
    @DisplayName("RFC 6121 §8.5.2.1.1: a message to the bare JID goes to the highest-priority resource")
    void highestPriorityResource() throws Exception {
        EntityBareJid julietAccount = parley.newAccount("juliet");
        XmppClient balcony = parley.connect(SmackClients.startTls(parley, julietAccount, ParleyServerExtension.PASSWORD,
                "balcony"));
        XmppClient chamber = parley.connect(SmackClients.startTls(parley, julietAccount, ParleyServerExtension.PASSWORD,
                "chamber"));
        XmppClient romeo = parley.loggedIn("romeo");
        balcony.sendsPresence(5);
        chamber.sendsPresence(1);
        processed(balcony);
        processed(chamber);

        romeo.sendsChat(julietAccount, "to the bare JID");
        balcony.receivesChat(romeo.jid(), "to the bare JID");

        // The server keeps each sender's order (RFC 6120 §10.1): once the second message reaches
        // the chamber, the first would have been there before it.
        romeo.sendsChat(chamber.jid(), "to the chamber");
        chamber.receivesChat(romeo.jid(), "to the chamber");
        assertThat(chamber.messagesWithBody("to the bare JID")).isEmpty();
    }

    /**
     * RFC 6121 §8.5.2.1.1: a resource with negative priority never receives messages sent to the
     * bare JID; with no other resource the message is stored (XEP-0160) and delivered once the
     * resource's priority is non-negative.
     */
    @Test
    @DisplayName("RFC 6121 §8.5.2.1.1 + XEP-0160: only negative priorities: the message waits in offline storage")
    void negativePriorityHoldsMessagesOffline() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        juliet.sendsPresence(-1);
        processed(juliet);

        romeo.sendsChat(juliet.bareJid(), "anyone home?");
        romeo.sendsChat(juliet.jid(), "to the full JID still works");
        juliet.receivesChat(romeo.jid(), "to the full JID still works");
        assertThat(juliet.messagesWithBody("anyone home?")).isEmpty();

        juliet.sendsPresence(0);
        juliet.receivesChat(romeo.jid(), "anyone home?");
    }

    /**
     * RFC 6121 §8.5.2.2.1 with XEP-0160: an account with no session stores the message until it
     * logs in. Juliet logs in with the client SDK, whose listeners are registered before login,
     * as an app receives what waited for it.
     */
    @Test
    @DisplayName("RFC 6121 §8.5.2.2.1 + XEP-0160: an offline account gets the message at its next login")
    void offlineAccountGetsTheMessageAtLogin() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        romeo.sendsChat(juliet, "wherefore art thou?");
        processed(romeo);

        SdkUser julietOnline = parley.sdkUser(juliet).logsIn();

        assertThat(julietOnline.receivesChat(romeo.bareJid(), "wherefore art thou?").sender().toString())
                .as("the stored message keeps the sender's full JID").isEqualTo(romeo.jid().toString());
    }

    /** RFC 6121 §8.5.1: no such account: {@code service-unavailable}, whatever the type. */
    @Test
    @DisplayName("RFC 6121 §8.5.1: a message to an account that does not exist bounces with service-unavailable")
    void unknownAccountBounces() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");

        romeo.sendsChat(JidCreate.entityBareFrom("nobody@" + ParleyServerExtension.DOMAIN), "hello?");

        romeo.receivesMessageError(StanzaError.Condition.service_unavailable);
    }

    /** A ping round trip: the server handles a session's stanzas in order, so what was sent before is processed. */
    private static void processed(XmppClient client) throws Exception {
        client.requests(new Ping(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN)));
    }
}
