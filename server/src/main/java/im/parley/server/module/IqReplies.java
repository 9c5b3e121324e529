package im.parley.server.module;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/** The answers an {@link IqHandler} gives most: a result with one payload, an error with a text. */
public final class IqReplies {

    private IqReplies() {
    }

    /** The request's first child: the payload that names what is asked. */
    public static Element payload(Stanza iq) {
        return iq.element().elements().get(0);
    }

    /** An IQ result carrying {@code payload} (RFC 6120 §8.2.3). */
    public static Element result(Stanza iq, Element payload) {
        Element result = Stanzas.iqResult(iq.element());
        result.add(payload);
        return result;
    }

    /** An IQ error with {@code condition} and, unless null, a human-readable text (RFC 6120 §8.3). */
    public static Element error(Stanza iq, StanzaErrorCondition condition, String text) {
        return Stanzas.errorReply(iq.element(), text == null ? StanzaError.of(condition) : StanzaError.of(condition, text));
    }

    /** An answer known at once, as an {@link IqHandler} returns it. */
    public static CompletionStage<Element> done(Element answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
