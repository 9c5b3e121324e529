package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.metrics.ServerMetrics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure on a client's input ({@code LocalSession#holdReading}; docs/archive.md,
 * "Back-pressure"): work behind the session's thread that falls behind stops the connection being
 * read (RFC 6120 §13.12: the server protects itself from a flood by reading slower, not by
 * dropping), and reading resumes when the last hold ends, nothing of the input lost.
 */
class C2sSessionReadHoldTest {

    private final ManualC2sTransport transport = new ManualC2sTransport();
    private final C2sSession session = new C2sSession(transport, new C2sContext(null, false, null, null, null, null,
            null, null, null, null, null, null, new ServerMetrics(List.of()),
            new IntakeLimit(IntakeLimit.DEFAULT_MAX)));

    @Test
    void aHoldPausesReadingUntilItEnds() {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();

        session.holdReading(caughtUp);
        assertThat(transport.reading).isFalse();

        caughtUp.complete(null);
        assertThat(transport.reading).isTrue();
    }

    @Test
    void readingResumesOnlyWhenTheLastOfSeveralHoldsEnds() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        session.holdReading(first);
        session.holdReading(second);

        first.complete(null);
        assertThat(transport.reading).isFalse();
        second.completeExceptionally(new IllegalStateException("the archive failed its batch"));
        assertThat(transport.reading).isTrue();
    }

    @Test
    void aHoldThatHasEndedAlreadyLeavesReadingOn() {
        session.holdReading(CompletableFuture.completedFuture(null));

        assertThat(transport.reading).isTrue();
    }

    @Test
    void holdsFollowTheConnectionAResumedSessionMovedTo() {
        CompletableFuture<Void> onOld = new CompletableFuture<>();
        session.holdReading(onOld);
        ManualC2sTransport successor = new ManualC2sTransport();
        session.attach(new C2sSession(successor, session.context()));   // XEP-0198 §5 resumption
        CompletableFuture<Void> onNew = new CompletableFuture<>();
        session.holdReading(onNew);
        assertThat(successor.reading).isFalse();

        onOld.complete(null);   // the old connection's hold ends: the new one's stays
        assertThat(successor.reading).isFalse();
        onNew.complete(null);
        assertThat(successor.reading).isTrue();
    }
}
