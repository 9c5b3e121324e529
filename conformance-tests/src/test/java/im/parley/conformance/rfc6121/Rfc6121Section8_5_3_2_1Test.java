package im.parley.conformance.rfc6121;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.SdkUser;
import im.parley.conformance.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * RFC 6121 §8.5.3.2.1, a message to a full JID whose resource is not there: "For a message
 * stanza of type "normal", "groupchat", or "headline", the server MUST either (a) silently
 * ignore the stanza or (b) return an error stanza to the sender, which SHOULD be
 * &lt;service-unavailable/&gt;. For a message stanza of type "chat": [...] the server MUST [...]
 * deliver the message to the "most available" resource or resources [...] (or, with none, store
 * it offline or return an error). For a message stanza of type "error", the server MUST silently
 * ignore the stanza." The summary tables of §8.5.4 restate these rules.
 *
 * <p>Parley answers {@code normal} and {@code groupchat} with {@code service-unavailable} (the
 * sender learns that nobody got it), ignores
 * {@code headline} and {@code error}, and handles {@code chat} as if it were sent to the bare
 * JID (delivered to the best resource, or stored, XEP-0160).
 */
class Rfc6121Section8_5_3_2_1Test {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @ParameterizedTest(name = "RFC 6121 §8.5.3.2.1: {0} to a gone resource: service-unavailable, not handed to another resource")
    @EnumSource(value = Message.Type.class, names = {"normal", "groupchat"})
    void normalAndGroupchatAreAnsweredAndNotRedirected(Message.Type type) throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 1);
        XmppClient romeo = parley.loggedIn("romeo");

        Message message = romeo.sendsMessage(gone(juliet), type, "for the tomb");
        romeo.receivesErrorFor(message, StanzaError.Condition.service_unavailable);

        romeo.sendsChat(balcony.jid(), "after the " + type + " message");
        balcony.receivesChat(romeo.jid(), "after the " + type + " message");
        assertThat(balcony.messagesWithBody("for the tomb")).isEmpty();
    }

    @Test
    @DisplayName("RFC 6121 §8.5.3.2.1: headline and error to a gone resource are silently ignored")
    void headlineAndErrorAreIgnored() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 1);
        XmppClient romeo = parley.loggedIn("romeo");

        Message headline = romeo.sendsMessage(gone(juliet), Message.Type.headline, "a headline for the tomb");
        Message error = romeo.sendsMessage(gone(juliet), Message.Type.error, "an error for the tomb");
        // The same path answers this one: any answer to the two before would have come first.
        Message normal = romeo.sendsMessage(gone(juliet), Message.Type.normal, "a normal message for the tomb");
        romeo.receivesErrorFor(normal, StanzaError.Condition.service_unavailable);
        romeo.sendsChat(balcony.jid(), "after them");
        balcony.receivesChat(romeo.jid(), "after them");

        assertThat(romeo.errorsFor(headline)).as("a headline is ignored, not answered").isEmpty();
        assertThat(romeo.errorsFor(error)).as("an error is never answered").isEmpty();
        assertThat(balcony.messagesWithBody("a headline for the tomb")).isEmpty();
        assertThat(balcony.messagesWithBody("an error for the tomb")).isEmpty();
    }

    @Test
    @DisplayName("RFC 6121 §8.5.3.2.1: chat to a gone resource goes to the most available resource")
    void chatGoesToTheMostAvailableResource() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient balcony = parley.availableResource(juliet, "balcony", 1);
        XmppClient romeo = parley.loggedIn("romeo");

        Message chat = romeo.sendsChat(gone(juliet), "wherever you are");

        balcony.receivesChat(romeo.jid(), "wherever you are");
        assertThat(romeo.errorsFor(chat)).isEmpty();
    }

    @Test
    @DisplayName("RFC 6121 §8.5.3.2.1 + XEP-0160: chat to a resource of an offline account is stored for the next login")
    void chatToAnOfflineAccountIsStored() throws Exception {
        EntityBareJid juliet = parley.newAccount("juliet");
        XmppClient romeo = parley.loggedIn("romeo");

        Message chat = romeo.sendsChat(gone(juliet), "stored for later");
        Message normal = romeo.sendsMessage(gone(juliet), Message.Type.normal, "not stored");
        romeo.receivesErrorFor(normal, StanzaError.Condition.service_unavailable);

        SdkUser julietOnline = parley.sdkUser(juliet).logsIn();
        julietOnline.receivesChat(romeo.bareJid(), "stored for later");
        assertThat(romeo.errorsFor(chat)).isEmpty();
    }

    private static EntityFullJid gone(EntityBareJid account) throws Exception {
        return JidCreate.entityFullFrom(account + "/tomb");
    }

}
