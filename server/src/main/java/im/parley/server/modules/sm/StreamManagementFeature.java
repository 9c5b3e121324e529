package im.parley.server.modules.sm;

import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.EstablishedStreamFeature;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/**
 * XEP-0198 stream management on client streams: offered after authentication (§2, with resource
 * binding), {@code <enable/>} once a resource is bound (§3), {@code <r/>} and {@code <a/>} (§4),
 * {@code <resume/>} instead of binding (§5). The state of an enabled session lives in its
 * {@link ManagedSession}.
 */
public final class StreamManagementFeature implements EstablishedStreamFeature {

    private final StreamManagementConfig config;

    public StreamManagementFeature(StreamManagementConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "sm";
    }

    @Override
    public Element advertise(C2sSession session) {
        return session.isAuthenticated() && !session.isBound() ? SmElements.feature() : null;
    }

    @Override
    public boolean isPending(C2sSession session) {
        return false;
    }

    /**
     * {@code <enable/>} and {@code <resume/>} are this feature's at any point of the stream, so
     * that one out of order is answered with {@code <failed/>} (§3) rather than a stream error.
     */
    @Override
    public boolean accepts(Element element, C2sSession session) {
        if (!SmElements.NS.equals(element.getNamespaceURI())) {
            return false;
        }
        return switch (element.getName()) {
            case "enable", "resume" -> true;
            case "r", "a" -> managed(session).isPresent();
            default -> false;
        };
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, C2sSession session) {
        return switch (element.getName()) {
            case "enable" -> enable(element, session);
            case "resume" -> resume(element, session);
            case "r" -> {
                managed(session).orElseThrow().answerRequest(session);
                yield done(FeatureOutcome.SUCCESS);
            }
            default -> acknowledge(element, session);
        };
    }

    /**
     * §3: after binding, once. "The client MUST NOT attempt to negotiate stream management until
     * it is authenticated [...] the client MUST NOT attempt to enable stream management until
     * after it has completed Resource Binding [...] The server SHALL enforce this order and return
     * a &lt;failed/&gt; element in response if the order is violated", with the condition of the
     * example in §6, {@code <unexpected-request/>}; the stream goes on ("Stream management errors
     * SHOULD be considered recoverable").
     */
    private CompletionStage<FeatureOutcome> enable(Element enable, C2sSession session) {
        if (!session.isAuthenticated() || !session.isBound() || managed(session).isPresent()) {
            session.send(SmElements.failed("unexpected-request"));
            return done(FeatureOutcome.INCOMPLETE);
        }
        boolean resumable = "true".equals(enable.attributeValue("resume")) || "1".equals(enable.attributeValue("resume"));
        Duration window = config.resumeTimeout();
        long requestedMax = SequenceNumbers.parse(enable.attributeValue("max"));
        if (requestedMax > 0 && Duration.ofSeconds(requestedMax).compareTo(window) < 0) {
            window = Duration.ofSeconds(requestedMax);
        }
        String id = resumable ? ResumptionIds.create(session.jid()) : null;
        // §4: stanzas are counted from <enabled/> on, so it goes out before the counting starts.
        session.send(SmElements.enabled(id, Math.max(1, window.toSeconds())));
        session.addInterceptor(new ManagedSession(session.context(), config, id, window));
        return done(FeatureOutcome.SUCCESS);
    }

    private static CompletionStage<FeatureOutcome> acknowledge(Element a, C2sSession session) {
        long h = SequenceNumbers.parse(a.attributeValue("h"));
        if (h < 0) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_XML, "<a/> needs an 'h' between 0 and 2^32-1"));
            return done(FeatureOutcome.CLOSED);
        }
        managed(session).orElseThrow().acknowledge(h, session);
        return done(FeatureOutcome.SUCCESS);
    }

    /**
     * §5: after authentication, instead of binding. Only the account that owns the session may
     * resume it; an unknown, expired or foreign id gets {@code <failed><item-not-found/>} and the
     * client may bind a new resource.
     */
    private static CompletionStage<FeatureOutcome> resume(Element resume, C2sSession fresh) {
        if (!fresh.isAuthenticated() || fresh.isBound()) {
            fresh.send(SmElements.failed("unexpected-request"));
            return done(FeatureOutcome.INCOMPLETE);
        }
        long h = SequenceNumbers.parse(resume.attributeValue("h"));
        if (h < 0) {
            fresh.send(SmElements.failed("bad-request"));
            return done(FeatureOutcome.INCOMPLETE);
        }
        Optional<C2sSession> previous = ResumptionIds.find(resume.attributeValue("previd"), fresh.context().sessions())
                .filter(p -> fresh.authenticatedAccount().equals(p.authenticatedAccount()));
        if (previous.isEmpty()) {
            fresh.send(SmElements.failed("item-not-found"));
            return done(FeatureOutcome.INCOMPLETE);
        }
        return new Resumption(previous.get(), fresh, h).start();
    }

    private static Optional<ManagedSession> managed(C2sSession session) {
        return session.interceptor(ManagedSession.class);
    }

    private static CompletionStage<FeatureOutcome> done(FeatureOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
