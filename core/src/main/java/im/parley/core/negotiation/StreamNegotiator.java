package im.parley.core.negotiation;

import im.parley.core.stream.StreamError;
import java.util.List;
import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The generic stream negotiation state machine (RFC 6120 §4.3): computes the features to
 * offer after each stream header, dispatches negotiation elements to the feature that owns
 * them and tells when the stream is established. Policy lives in the features.
 *
 * @param <S> the session type
 */
public final class StreamNegotiator<S> {

    /** Negotiation states; transitions happen only in {@link #transition}. */
    public enum State {
        /** Waiting for the initiating entity's stream header (at start and after a restart). */
        AWAITING_STREAM_OPEN,
        /** Header answered and features sent; negotiation elements expected. */
        NEGOTIATING,
        /** All mandatory features done: stanzas may flow (RFC 6120 §4.3.5). */
        ESTABLISHED,
        /** The stream is closed. */
        CLOSED
    }

    private final List<FeatureNegotiator<S>> features;
    private State state = State.AWAITING_STREAM_OPEN;

    public StreamNegotiator(List<FeatureNegotiator<S>> features) {
        this.features = List.copyOf(features);
    }

    public State state() {
        return state;
    }

    /**
     * Called when a stream header arrived and was answered. Returns the {@code <stream:features/>}
     * element to send. If no feature is pending, the stream is established at once (a restart
     * after the last mandatory feature); the features element is still sent, as RFC 6120
     * §4.3.2 requires, listing voluntary features.
     */
    public Element onStreamOpened(S session) {
        transition(State.NEGOTIATING);
        Element featuresElement = DocumentHelper.createElement(QName.get("features", StreamError.STREAM_NS));
        for (FeatureNegotiator<S> feature : features) {
            Element advertised = feature.advertise(session);
            if (advertised != null) {
                featuresElement.add(advertised);
            }
        }
        if (!anyPending(session)) {
            transition(State.ESTABLISHED);
        }
        return featuresElement;
    }

    /** The feature that processes this element in the current state, if any. */
    public Optional<FeatureNegotiator<S>> featureFor(Element element, S session) {
        if (state == State.CLOSED || state == State.AWAITING_STREAM_OPEN) {
            return Optional.empty();
        }
        for (FeatureNegotiator<S> feature : features) {
            if (feature.accepts(element, session)) {
                return Optional.of(feature);
            }
        }
        return Optional.empty();
    }

    /** Records the outcome of a feature step and moves the state machine accordingly. */
    public void onOutcome(FeatureOutcome outcome, S session) {
        switch (outcome) {
            case RESTART -> transition(State.AWAITING_STREAM_OPEN);
            case SUCCESS -> {
                if (state == State.NEGOTIATING && !anyPending(session)) {
                    transition(State.ESTABLISHED);
                }
            }
            case CLOSED -> transition(State.CLOSED);
            case INCOMPLETE -> {
                // the feature stays in progress; nothing changes
            }
        }
    }

    /** Marks the stream closed (peer closed, error sent, connection lost). */
    public void close() {
        transition(State.CLOSED);
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    private boolean anyPending(S session) {
        for (FeatureNegotiator<S> feature : features) {
            if (feature.isPending(session)) {
                return true;
            }
        }
        return false;
    }

    private void transition(State next) {
        if (state == State.CLOSED) {
            return;
        }
        state = next;
    }
}
