package im.parley.server.module;

import im.parley.core.routing.Stanza;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * Answers an IQ request of type {@code get} or {@code set} (RFC 6120 §8.2.3): the completed
 * stage holds the {@code result} or {@code error} IQ to send back. Handlers that must block
 * (storage) complete the stage from another thread.
 */
@FunctionalInterface
public interface IqHandler {

    CompletionStage<Element> handle(Stanza iq);
}
