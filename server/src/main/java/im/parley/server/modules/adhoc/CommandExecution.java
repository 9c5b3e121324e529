package im.parley.server.modules.adhoc;

import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * One run of a command for one requester: the state of a session across its stages (XEP-0050
 * §2.4.2). The module calls it one step at a time, never two at once; blocking work goes to the
 * blocking executor, and a stage fails with a {@link CommandException} to refuse a request.
 */
public interface CommandExecution {

    /** The first stage: the answer to {@code execute} without a session. */
    CompletionStage<CommandStage> start();

    /**
     * Goes on from the current stage with what the requester submitted.
     *
     * @param action {@code next} or {@code complete}, one the current stage allowed
     * @param form the submitted {@code jabber:x:data} form, or null
     */
    CompletionStage<CommandStage> proceed(CommandAction action, Element form);

    /** Back to the previous stage ({@code prev}), for stages that allow it. */
    default CompletionStage<CommandStage> back() {
        throw new CommandException(im.parley.core.stream.StanzaErrorCondition.BAD_REQUEST, "bad-action",
                "this command has no previous stage");
    }

    /** The requester canceled, or the session expired: free what the run holds. */
    default void cancel() {
    }
}
