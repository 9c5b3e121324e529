package im.parley.core.routing;

import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.Optional;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * The one set of rules for answering a stanza that cannot be delivered, used by the local
 * router, external components and federation alike (RFC 6120 §8.3.1, §10.4.3, §10.5.3).
 */
public final class Bounces {

    private Bounces() {
    }

    /**
     * The error reply to route back to the sender, or empty when the stanza must not be
     * answered: an error is never answered with an error (RFC 6120 §8.3.1), nor is an IQ
     * {@code result} (§8.2.3: only requests are answered), nor a stanza without a sender to
     * answer. The reply comes from the address the stanza was sent to, or from the sender's
     * own account when it had none (§10.3).
     */
    public static Optional<Stanza> reply(Stanza stanza, StanzaError error) {
        if (!isAnswerable(stanza)) {
            return Optional.empty();
        }
        Element reply = Stanzas.errorReply(stanza.element(), error);
        Jid replyFrom = stanza.to() == null ? stanza.from().asBareJid() : stanza.to();
        reply.addAttribute("from", replyFrom.toString());
        return Optional.of(new Stanza(reply, replyFrom, stanza.from()));
    }

    /** {@link #reply(Stanza, StanzaError)} with a condition and no text. */
    public static Optional<Stanza> reply(Stanza stanza, StanzaErrorCondition condition) {
        return reply(stanza, StanzaError.of(condition));
    }

    /** False for errors, IQ responses and stanzas without {@code from}: those are never answered. */
    public static boolean isAnswerable(Stanza stanza) {
        return !stanza.isError() && !Stanzas.isIqResponse(stanza.element()) && stanza.from() != null;
    }
}
