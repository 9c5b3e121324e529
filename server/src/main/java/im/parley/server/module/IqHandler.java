package im.parley.server.module;

import im.parley.core.routing.Stanza;
import im.parley.server.event.AccountWork;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * Answers an IQ request of type {@code get} or {@code set} (RFC 6120 §8.2.3): the completed
 * stage holds the {@code result} or {@code error} IQ to send back, or null if the handler routed
 * its answer itself (to send something that must reach the requester after it). Handlers that
 * must block (storage) complete the stage from another thread.
 */
@FunctionalInterface
public interface IqHandler {

    CompletionStage<Element> handle(Stanza iq);

    /**
     * How the router calls the handler: for a request to an account, the whole handling is part
     * of the account's turn ({@code work}), so the account's next stanza (a {@code get} after a
     * {@code set}) sees its effect (RFC 6120 §10.1). A handler that waits for another account's
     * turn overrides this and defers only the account's own part.
     */
    default CompletionStage<Element> handle(Stanza iq, AccountWork work) {
        return work.defer(() -> handle(iq));
    }
}
