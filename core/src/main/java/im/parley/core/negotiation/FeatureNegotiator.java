package im.parley.core.negotiation;

import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * One stream feature (RFC 6120 §4.3.2): what is advertised in {@code <stream:features/>} and
 * how its elements are processed. Policies (c2s, s2s) are sets of features; the generic
 * {@link StreamNegotiator} drives them.
 *
 * @param <S> the session type the feature works on
 */
public interface FeatureNegotiator<S> {

    /** Short name for logs, e.g. {@code starttls}. */
    String name();

    /**
     * The child of {@code <stream:features/>} to offer now, or {@code null} when this feature
     * is not offered in the session's current state (already done, or not yet possible).
     */
    Element advertise(S session);

    /**
     * True while this feature is mandatory-to-negotiate and not yet done (RFC 6120 §4.3.2):
     * the stream is not established while any feature says so.
     */
    boolean isPending(S session);

    /** True if this feature processes the element (by name and namespace). */
    boolean accepts(Element element, S session);

    /**
     * Processes one element. May complete later (e.g. after a credential lookup off the event
     * loop); the negotiator holds back further input until it does.
     */
    CompletionStage<FeatureOutcome> process(Element element, S session);
}
