package im.parley.server.modules.sm;

import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.c2s.C2sSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One {@code <resume/>} (XEP-0198 §5) of {@code previous} by the stream of {@code fresh}, in two
 * hops so that each step runs where the output it touches runs: on the previous session's
 * executor its output stops and it moves to the new connection; then, on the new connection's
 * executor, {@code <resumed/>} and the resent stanzas go out before anything else.
 */
final class Resumption {

    /**
     * How long a resumption waits for the stanzas still being handled from the previous stream
     * (a message on its way to storage, or to a remote domain being connected).
     */
    static final Duration SETTLE_PATIENCE = Duration.ofSeconds(2);

    private final C2sSession previous;
    private final ManagedSession managed;
    private final C2sSession fresh;
    private final long h;
    private final CompletableFuture<FeatureOutcome> outcome = new CompletableFuture<>();

    Resumption(C2sSession previous, C2sSession fresh, long h) {
        this.previous = previous;
        this.managed = previous.interceptor(ManagedSession.class).orElseThrow();
        this.fresh = fresh;
        this.h = h;
    }

    /**
     * Waits (briefly) until the previous stream's stanzas were handled first: {@code <resumed h/>}
     * then acknowledges all of them, and the client does not send again what is being stored.
     */
    CompletionStage<FeatureOutcome> start() {
        managed.inboundSettled(SETTLE_PATIENCE).thenRun(() -> runOn(previous, this::onPreviousExecutor));
        return outcome;
    }

    private static void runOn(C2sSession session, Runnable task) {
        if (session.transport().inExecutor()) {
            task.run();
        } else {
            session.executor().execute(task);
        }
    }

    private void onPreviousExecutor() {
        try {
            switch (managed.beginResume(h, previous)) {
                case NOT_FOUND -> {
                    fresh.send(SmElements.failed("item-not-found"));
                    outcome.complete(FeatureOutcome.INCOMPLETE);
                }
                case HANDLED_COUNT_TOO_HIGH -> {
                    // §6: the client claims to have handled stanzas never sent. The old session
                    // keeps waiting: this stream is what is broken.
                    fresh.close(StreamError.of(StreamErrorCondition.UNDEFINED_CONDITION,
                            "you acknowledged more stanzas than were sent"),
                            SmElements.handledCountTooHigh(h, managed.sentCount()));
                    outcome.complete(FeatureOutcome.CLOSED);
                }
                case ACCEPTED -> {
                    previous.attach(fresh);
                    runOn(previous, this::onNewExecutor);
                }
            }
        } catch (RuntimeException e) {
            managed.abortResume();
            outcome.completeExceptionally(e);
        }
    }

    private void onNewExecutor() {
        try {
            managed.completeResume(previous);
            outcome.complete(FeatureOutcome.SUCCESS);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }
}
