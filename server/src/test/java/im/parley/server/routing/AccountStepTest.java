package im.parley.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Handling;
import im.parley.server.module.AccountSequencer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** RFC 6120 §10.1 across asynchronous steps: one stanza's turn among an account's stanzas. */
class AccountStepTest {

    private final AccountSequencer sequencer = new AccountSequencer();
    private final TurnTimeouts timeouts = new TurnTimeouts();
    private final EntityBareJid juliet;
    private final List<String> order = new CopyOnWriteArrayList<>();

    private final List<TurnTimeouts> closeAfter = new CopyOnWriteArrayList<>();

    AccountStepTest() throws Exception {
        juliet = Jids.parseEntityBare("juliet@example.org");
    }

    @AfterEach
    void stopTimers() {
        timeouts.close();
        closeAfter.forEach(TurnTimeouts::close);
    }

    @Test
    void aStanzaThatDefersNothingTakesNoTurn() {
        AccountStep step = AccountStep.inline(sequencer, juliet, Handling.none(), timeouts);

        assertThat(step.finish().toCompletableFuture().isDone()).isTrue();
        assertThat(sequencer.isBusy(juliet)).isFalse();
    }

    @Test
    void deferredWorkKeepsTheAccountBusyUntilItIsDone() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        Handling handling = Handling.begin();
        AccountStep step = AccountStep.inline(sequencer, juliet, handling, timeouts);

        step.defer(() -> storing);
        CompletionStage<Void> turn = step.finish();
        handling.end();

        assertThat(sequencer.isBusy(juliet)).isTrue();
        assertThat(handling.isComplete()).isFalse();
        storing.complete(null);
        assertThat(turn.toCompletableFuture().isDone()).isTrue();
        assertThat(sequencer.isBusy(juliet)).isFalse();
        assertThat(handling.isComplete()).isTrue();
    }

    @Test
    void workDeferredFromDeferredWorkStaysInTheSameTurnAheadOfLaterStanzas() {
        CompletableFuture<Void> lookup = new CompletableFuture<>();
        AccountStep first = AccountStep.inline(sequencer, juliet, Handling.none(), timeouts);
        first.defer(() -> lookup.thenCompose(loaded -> first.defer(() -> {
            order.add("store first");
            return CompletableFuture.completedFuture(null);
        })));
        first.finish();
        // The next stanza arrives while the first is still busy: it waits for its turn.
        sequencer.serially(juliet, () -> {
            order.add("second");
            return CompletableFuture.completedFuture(null);
        });

        lookup.complete(null);

        assertThat(order).containsExactly("store first", "second");
    }

    @Test
    void workDeferredWhileTheAccountIsBusyWaitsForItsTurn() {
        CompletableFuture<Void> earlier = new CompletableFuture<>();
        sequencer.serially(juliet, () -> earlier);
        AccountStep step = AccountStep.inline(sequencer, juliet, Handling.none(), timeouts);

        CompletionStage<String> result = step.defer(() -> {
            order.add("deferred");
            return CompletableFuture.completedFuture("stored");
        });
        step.finish();

        assertThat(order).isEmpty();
        earlier.complete(null);
        assertThat(order).containsExactly("deferred");
        assertThat(result.toCompletableFuture().join()).isEqualTo("stored");
    }

    @Test
    void aRunningTurnEndsOnlyAfterItsDeferredWork() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        CompletableFuture<Void> turnOver = new CompletableFuture<>();
        sequencer.serially(juliet, () -> {
            AccountStep step = AccountStep.running(sequencer, juliet, Handling.none(), timeouts);
            step.defer(() -> storing);
            return step.finish().thenRun(() -> turnOver.complete(null));
        });

        assertThat(turnOver).isNotDone();
        storing.complete(null);
        assertThat(turnOver).isDone();
        assertThat(sequencer.isBusy(juliet)).isFalse();
    }

    @Test
    void workThatNeverCompletesReleasesTheAccountAfterTheTimeout() {
        Handling handling = Handling.begin();
        TurnTimeouts shortTimeouts = new TurnTimeouts(Duration.ofMillis(50));
        closeAfter.add(shortTimeouts);
        AccountStep step = AccountStep.inline(sequencer, juliet, handling, shortTimeouts);
        step.defer(CompletableFuture::new);
        step.finish();
        handling.end();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !sequencer.isBusy(juliet) && handling.isComplete());
    }
}
