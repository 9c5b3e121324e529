package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Delivery of messages addressed to a bare JID (RFC 6121 §8.5.2). */
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
     * RFC 6121 §8.5.2.2.1: with no available resource of non-negative priority the server
     * "MUST ... return a <service-unavailable/> stanza error" (Parley has no offline storage yet).
     */
    @Test
    @DisplayName("RFC 6121 §8.5.2.2.1: only negative priorities: the message bounces with service-unavailable")
    void negativePriorityBounces() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        juliet.sendsPresence(-1);
        processed(juliet);

        romeo.sendsChat(juliet.bareJid(), "anyone home?");

        romeo.receivesMessageError(StanzaError.Condition.service_unavailable);
        romeo.sendsChat(juliet.jid(), "to the full JID still works");
        juliet.receivesChat(romeo.jid(), "to the full JID still works");
        assertThat(juliet.messagesWithBody("anyone home?")).isEmpty();
    }

    /** RFC 6121 §8.5.2.2.1: an account with no session at all. */
    @Test
    @DisplayName("RFC 6121 §8.5.2.2.1: an offline account: the message bounces with service-unavailable")
    void offlineAccountBounces() {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient romeo = parley.loggedIn("romeo");

        romeo.sendsChat(juliet, "wherefore art thou?");

        romeo.receivesMessageError(StanzaError.Condition.service_unavailable);
    }

    /** A ping round trip: the server handles a session's stanzas in order, so what was sent before is processed. */
    private static void processed(XmppClient client) throws Exception {
        client.requests(new Ping(JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN)));
    }
}
