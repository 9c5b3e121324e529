package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The server's bound on clients' stanzas in flight (RFC 6120 §13.12): within it a stanza's
 * session reads on; past it, its session waits, and waiting sessions are let go one at a time,
 * oldest first, as stanzas are handled.
 */
class IntakeLimitTest {

    private final IntakeLimit limit = new IntakeLimit(2);
    private final List<CompletableFuture<Void>> handling = new ArrayList<>();

    private CompletableFuture<Void> admitOne() {
        CompletableFuture<Void> handled = new CompletableFuture<>();
        handling.add(handled);
        return limit.admit(handled);
    }

    @Test
    void withinTheBoundEveryStanzaLeavesItsSessionReading() {
        assertThat(admitOne()).isDone();
        assertThat(admitOne()).isDone();
        assertThat(limit.inFlight()).isEqualTo(2);
        assertThat(limit.heldSessions()).isZero();
    }

    @Test
    void pastTheBoundSessionsWaitAndAreLetGoOneAtATimeOldestFirstAsStanzasAreHandled() {
        admitOne();
        admitOne();
        CompletableFuture<Void> first = admitOne();
        CompletableFuture<Void> second = admitOne();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        handling.get(0).complete(null);   // three in flight: still past the bound
        assertThat(first).isNotDone();
        handling.get(1).completeExceptionally(new IllegalStateException("failed: handled all the same"));
        assertThat(first).as("two in flight: one let go").isDone();
        assertThat(second).as("one at a time").isNotDone();

        handling.get(2).complete(null);
        assertThat(second).isDone();
        assertThat(limit.heldSessions()).isZero();
    }

    @Test
    void aWaitWhoseTimeRanOutIsSkippedAndTheNextOneLetGo() {
        admitOne();
        admitOne();
        CompletableFuture<Void> timedOut = admitOne();
        CompletableFuture<Void> next = admitOne();
        timedOut.complete(null);   // as the hold's time cap does

        handling.get(0).complete(null);
        handling.get(1).complete(null);

        assertThat(next).isDone();
    }

    @Test
    void aStanzaHandledAtOnceCountsForNothing() {
        assertThat(limit.admit(CompletableFuture.completedFuture(null))).isDone();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new IntakeLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
