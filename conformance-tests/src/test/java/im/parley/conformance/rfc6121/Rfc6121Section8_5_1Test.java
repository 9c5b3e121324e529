package im.parley.conformance.rfc6121;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * RFC 6121 §8.5.1, no such user: "If the user account identified by the 'to' attribute does not
 * exist, how the stanza is processed depends on the stanza type. [...] For a presence stanza with
 * no 'type' attribute or a 'type' attribute of "unavailable", the server MUST silently ignore the
 * stanza. For a presence stanza of type "subscribe", "subscribed", "unsubscribe", or
 * "unsubscribed", the server MUST silently ignore the stanza. For a presence stanza of type
 * "probe", the server MUST either (a) silently ignore the stanza or (b) return a presence stanza
 * of type "unsubscribed"." (RFC 3921 had the server answer {@code subscribe} with
 * {@code unsubscribed}; RFC 6121 no longer does, so an address cannot be probed for an account.)
 *
 * <p>Parley answers a probe with {@code unsubscribed}, option (b): the same answer an existing
 * account gives a prober without a subscription (§4.3.2), so the answer does not tell either. That
 * answer is for the prober's server, which finds nothing to change and delivers nothing
 * (RFC 6121 Appendix A.3), so the client sees no answer to any presence type.
 *
 * <p>Absences are proved by order: a message to the same address afterwards takes the same path
 * through that account's turn and is answered {@code service-unavailable}; an answer to the
 * presence would have come before it.
 */
class Rfc6121Section8_5_1Test {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("RFC 6121 §8.5.1: no presence to a missing account gets an answer the client sees")
    void presenceToAMissingAccountIsIgnored() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        for (Jid nobody : List.of(JidCreate.entityBareFrom("nobody@" + ParleyServerExtension.DOMAIN),
                JidCreate.entityFullFrom("nobody@" + ParleyServerExtension.DOMAIN + "/balcony"))) {
            // subscribe first: on a fresh roster the request leaves "pending out" (RFC 6121
            // §3.1.2), so an answer from the missing account would change it and reach the client.
            for (Presence.Type type : List.of(Presence.Type.subscribe, Presence.Type.available, Presence.Type.unavailable,
                    Presence.Type.subscribed, Presence.Type.unsubscribe, Presence.Type.unsubscribed, Presence.Type.probe)) {
                romeo.sends(romeo.connection().getStanzaFactory().buildPresenceStanza().to(nobody).ofType(type).build());
                Message after = romeo.sendsMessage(nobody.asBareJid(), Message.Type.chat, "anyone?");
                romeo.receivesErrorFor(after, StanzaError.Condition.service_unavailable);
                assertThat(romeo.received(stanza -> stanza instanceof Presence && isFromNobody(stanza)))
                        .as("an answer to " + type + " to " + nobody).isEmpty();
            }
        }
    }

    private static boolean isFromNobody(Stanza stanza) {
        return stanza.getFrom() != null && stanza.getFrom().toString().startsWith("nobody@");
    }
}
