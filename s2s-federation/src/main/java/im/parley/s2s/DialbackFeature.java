package im.parley.s2s;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.s2s.dialback.Dialback;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * Announces Server Dialback with error support (XEP-0220 §2.3, §2.4). Its elements are not
 * negotiation steps: they are handled by {@link InboundStreamHandler} asynchronously, because
 * holding the stream while a dialback key is verified could deadlock two servers verifying each
 * other.
 */
final class DialbackFeature implements FeatureNegotiator<InboundSession> {

    @Override
    public String name() {
        return "dialback";
    }

    @Override
    public Element advertise(InboundSession session) {
        return session.settings().requireEncryption() && !session.isSecure() ? null : Dialback.feature();
    }

    @Override
    public boolean isPending(InboundSession session) {
        return false;
    }

    @Override
    public boolean accepts(Element element, InboundSession session) {
        return false;
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, InboundSession session) {
        throw new UnsupportedOperationException("dialback elements are handled by the stream handler");
    }
}
