package im.parley.core.routing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A server's bound on the stanzas of one kind of stream (from clients, from other servers) that
 * it is still handling (RFC 6120 §13.12: a server protects itself from a flood). A stream routes
 * each stanza with a {@link Handling}; one whose handling is not complete when its routing
 * returns is admitted here, and the stream reads no more until the answer completes: at once
 * within the bound, later past it. Nothing is dropped; the sender's bytes wait in its
 * connection.
 */
@FunctionalInterface
public interface StanzaIntake {

    /** No bound: every stanza is admitted at once. */
    StanzaIntake UNBOUNDED = handled -> CompletableFuture.completedFuture(null);

    /**
     * The longest a stream waits for one admission, should the stanzas in flight never get back
     * within the bound (work that never completes).
     */
    Duration MAX_HOLD = Duration.ofSeconds(10);

    /**
     * Counts a stanza whose handling is done when {@code handled} completes, and returns what its
     * stream waits for before reading more.
     */
    CompletableFuture<Void> admit(CompletionStage<?> handled);
}
