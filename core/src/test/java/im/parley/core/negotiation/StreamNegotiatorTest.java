package im.parley.core.negotiation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** The generic negotiation state machine (RFC 6120 §4.3). */
class StreamNegotiatorTest {

    /** A toy session: which features are done. */
    static final class Session {
        boolean secured;
        boolean authenticated;
    }

    /** A feature that is pending until its flag is set, done by one element. */
    record Flag(String name, boolean restarts, java.util.function.Predicate<Session> done,
                java.util.function.Consumer<Session> complete) implements FeatureNegotiator<Session> {
        @Override
        public Element advertise(Session session) {
            return done.test(session) ? null : DocumentHelper.createElement(name);
        }

        @Override
        public boolean isPending(Session session) {
            return !done.test(session);
        }

        @Override
        public boolean accepts(Element element, Session session) {
            return element.getName().equals(name) && !done.test(session);
        }

        @Override
        public CompletionStage<FeatureOutcome> process(Element element, Session session) {
            complete.accept(session);
            return CompletableFuture.completedFuture(restarts ? FeatureOutcome.RESTART : FeatureOutcome.SUCCESS);
        }
    }

    private final StreamNegotiator<Session> negotiator = new StreamNegotiator<>(List.of(
            new Flag("tls", true, s -> s.secured, s -> s.secured = true),
            new Flag("auth", false, s -> s.authenticated, s -> s.authenticated = true)));
    private final Session session = new Session();

    @Test
    void offersEveryPendingFeatureAfterTheHeader() {
        Element features = negotiator.onStreamOpened(session);

        assertThat(features.getName()).isEqualTo("features");
        assertThat(features.elements()).extracting(Element::getName).containsExactly("tls", "auth");
        assertThat(negotiator.state()).isEqualTo(StreamNegotiator.State.NEGOTIATING);
    }

    @Test
    void restartWaitsForANewHeaderAndOffersOnlyWhatIsLeft() {
        negotiator.onStreamOpened(session);
        Element tls = DocumentHelper.createElement("tls");
        var feature = negotiator.featureFor(tls, session).orElseThrow();
        negotiator.onOutcome(feature.process(tls, session).toCompletableFuture().join(), session);

        assertThat(negotiator.state()).isEqualTo(StreamNegotiator.State.AWAITING_STREAM_OPEN);
        assertThat(negotiator.featureFor(DocumentHelper.createElement("auth"), session)).isEmpty();
        assertThat(negotiator.onStreamOpened(session).elements()).extracting(Element::getName).containsExactly("auth");
    }

    @Test
    void establishedOnceNoMandatoryFeatureIsPending() {
        negotiator.onStreamOpened(session);
        session.secured = true;
        Element auth = DocumentHelper.createElement("auth");
        var feature = negotiator.featureFor(auth, session).orElseThrow();
        negotiator.onOutcome(feature.process(auth, session).toCompletableFuture().join(), session);

        assertThat(negotiator.isEstablished()).isTrue();
    }

    @Test
    void unknownElementsHaveNoFeature() {
        negotiator.onStreamOpened(session);

        assertThat(negotiator.featureFor(DocumentHelper.createElement("message"), session)).isEmpty();
    }

    @Test
    void incompleteStepsKeepNegotiating() {
        negotiator.onStreamOpened(session);
        negotiator.onOutcome(FeatureOutcome.INCOMPLETE, session);

        assertThat(negotiator.state()).isEqualTo(StreamNegotiator.State.NEGOTIATING);
    }

    @Test
    void closedIsFinal() {
        negotiator.onStreamOpened(session);
        negotiator.onOutcome(FeatureOutcome.CLOSED, session);
        negotiator.onStreamOpened(session);

        assertThat(negotiator.state()).isEqualTo(StreamNegotiator.State.CLOSED);
        assertThat(negotiator.featureFor(DocumentHelper.createElement("tls"), session)).isEmpty();
    }
}
