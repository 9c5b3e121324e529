package im.parley.conformance.rfc6121;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * RFC 6121 §8.5.2.1.1, a message to the bare JID of an account with available resources:
 * "For a message stanza of type "headline": [...] If there is more than one resource with a
 * non-negative presence priority then the server MUST deliver the message to all of the
 * non-negative resources. [...] For a message stanza of type "error", the server MUST silently
 * ignore the message. [...] for any message type the server MUST NOT deliver the stanza to any
 * available resource with a negative priority". The summary tables of §8.5.4 restate these rules.
 *
 * <p>Absences are proved by order (RFC 6120 §10.1): the sender's later message reaches the
 * resource, so an earlier one would have been there before it.
 */
class Rfc6121Section8_5_2_1_1Test {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("RFC 6121 §8.5.2.1.1: a headline to the bare JID goes to every non-negative resource, not to a negative one")
    void headlineGoesToEveryNonNegativeResource() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 5);
        XmppClient chamber = parley.availableResource(juliet, "chamber", 0);
        XmppClient tomb = parley.availableResource(juliet, "tomb", -1);
        XmppClient romeo = parley.loggedIn("romeo");

        romeo.sendsMessage(juliet, Message.Type.headline, "news for every resource");

        balcony.receives("the headline", s -> isMessageWithBody(s, "news for every resource"));
        chamber.receives("the headline", s -> isMessageWithBody(s, "news for every resource"));
        romeo.sendsChat(tomb.jid(), "after the headline");
        tomb.receivesChat(romeo.jid(), "after the headline");
        assertThat(tomb.messagesWithBody("news for every resource")).as("a negative priority gets no headline").isEmpty();
    }

    @Test
    @DisplayName("RFC 6121 §8.5.2.1.1: an error message to the bare JID is silently ignored")
    void errorMessageIsIgnored() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 1);
        XmppClient chamber = parley.availableResource(juliet, "chamber", 1);
        XmppClient romeo = parley.loggedIn("romeo");

        Message error = romeo.sendsMessage(juliet, Message.Type.error, "an error for nobody");
        romeo.sendsChat(juliet, "after the error");

        balcony.receivesChat(romeo.jid(), "after the error");
        chamber.receivesChat(romeo.jid(), "after the error");
        assertThat(balcony.messagesWithBody("an error for nobody")).isEmpty();
        assertThat(chamber.messagesWithBody("an error for nobody")).isEmpty();
        assertThat(romeo.errorsFor(error)).as("an error is never answered (RFC 6120 §8.3.1)").isEmpty();
    }

    @Test
    @DisplayName("RFC 6121 §8.5.2.1.1: normal and chat still go to the highest-priority resource only")
    void normalAndChatGoToTheMostAvailableResource() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 5);
        XmppClient chamber = parley.availableResource(juliet, "chamber", 1);
        XmppClient romeo = parley.loggedIn("romeo");

        romeo.sendsMessage(juliet, Message.Type.normal, "a normal message");
        romeo.sendsMessage(juliet, Message.Type.chat, "a chat message");
        romeo.sendsChat(chamber.jid(), "to the chamber");

        balcony.receives("the normal message", s -> isMessageWithBody(s, "a normal message"));
        balcony.receivesChat(romeo.jid(), "a chat message");
        chamber.receivesChat(romeo.jid(), "to the chamber");
        assertThat(chamber.messagesWithBody("a normal message")).isEmpty();
        assertThat(chamber.messagesWithBody("a chat message")).isEmpty();
    }


    private static boolean isMessageWithBody(org.jivesoftware.smack.packet.Stanza stanza, String body) {
        return stanza instanceof Message message && body.equals(message.getBody());
    }
}
