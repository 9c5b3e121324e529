package im.parley.core.negotiation;

import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * A stream feature that is only announced in {@code <stream:features/>} (RFC 6120 §4.3.2,
 * "voluntary-to-negotiate" with nothing to negotiate): legacy session, entity capabilities,
 * roster versioning, pre-approval, channel binding types. Subclasses say what to announce.
 *
 * @param <S> the session type
 */
public abstract class AnnouncedFeature<S> implements FeatureNegotiator<S> {

    @Override
    public final boolean isPending(S session) {
        return false;
    }

    @Override
    public final boolean accepts(Element element, S session) {
        return false;
    }

    @Override
    public final CompletionStage<FeatureOutcome> process(Element element, S session) {
        throw new IllegalStateException(name() + " is only announced; nothing is negotiated");
    }
}
