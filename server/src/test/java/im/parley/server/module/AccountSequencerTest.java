package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

class AccountSequencerTest {

    private final AccountSequencer sequencer = new AccountSequencer();

    @Test
    void stepsOfOneAccountRunInOrderEvenWhenEarlierOnesFinishLater() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.net");
        List<String> done = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> slowGate = new CompletableFuture<>();

        var first = sequencer.serially(romeo, () -> slowGate.thenRun(() -> done.add("first")));
        var second = sequencer.serially(romeo, () -> CompletableFuture.runAsync(() -> done.add("second")));

        assertThat(second.toCompletableFuture().isDone()).isFalse();
        slowGate.complete(null);
        second.toCompletableFuture().join();
        first.toCompletableFuture().join();
        assertThat(done).containsExactly("first", "second");
        // The account is let go right after its last step's result is handed out.
        assertThat(sequencer.awaitIdle(System.nanoTime() + 10_000_000_000L)).isTrue();
        assertThat(sequencer.accountsInFlight()).isZero();
    }

    @Test
    void differentAccountsDoNotWaitForEachOther() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        sequencer.serially(Jids.parseEntityBare("romeo@example.net"), () -> never);

        var other = sequencer.serially(Jids.parseEntityBare("juliet@example.net"), () -> CompletableFuture.completedFuture("ok"));

        assertThat(other.toCompletableFuture().join()).isEqualTo("ok");
    }

    @Test
    void aFailedStepDoesNotStopLaterOnes() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.net");

        var failed = sequencer.serially(romeo, () -> {
            throw new IllegalStateException("boom");
        });
        var next = sequencer.serially(romeo, () -> CompletableFuture.completedFuture(42));

        assertThat(failed.toCompletableFuture().isCompletedExceptionally()).isTrue();
        assertThat(next.toCompletableFuture().join()).isEqualTo(42);
    }

    @Test
    void awaitIdleWaitsForStepsQueuedBehindOthersAndGivesUpAtTheDeadline() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.net");
        CompletableFuture<Void> first = new CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        sequencer.serially(romeo, () -> first);
        sequencer.serially(romeo, () -> {
            ran.add("queued behind");
            return CompletableFuture.completedFuture(null);
        });

        assertThat(sequencer.awaitIdle(System.nanoTime() + 50_000_000L)).as("the first step never ends").isFalse();
        CompletableFuture.runAsync(() -> first.complete(null), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        assertThat(sequencer.awaitIdle(System.nanoTime() + 10_000_000_000L)).isTrue();
        assertThat(ran).containsExactly("queued behind");
        assertThat(sequencer.accountsInFlight()).isZero();
    }

    /**
     * Thousands of stanzas queued behind one slow step (a client that sends 3,000 messages while
     * its block list loads) each finish at once when their turn comes. Each turn used to start
     * the next from inside its own completion, one stack frame chain deeper per queued step: the
     * stack overflowed somewhere past a few hundred, inside a CompletableFuture callback that
     * swallowed the error, and the account's turn never came again (HostileInputTest stalled).
     */
    @Test
    void aLongQueueOfStepsThatFinishAtOnceRunsToTheEndWithoutDeepeningTheStack() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.net");
        CompletableFuture<Void> first = new CompletableFuture<>();
        sequencer.serially(romeo, () -> first);
        int queued = 20_000;
        int[] ran = new int[1];
        int[] deepest = new int[1];
        CompletionStage<Integer> last = null;
        for (int i = 0; i < queued; i++) {
            int index = i;
            last = sequencer.serially(romeo, () -> {
                ran[0]++;
                deepest[0] = Math.max(deepest[0], Thread.currentThread().getStackTrace().length);
                return CompletableFuture.completedFuture(index);
            });
        }

        first.complete(null);

        assertThat(last.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(queued - 1);
        assertThat(ran[0]).isEqualTo(queued);
        assertThat(deepest[0]).as("stack depth of a queued step").isLessThan(200);
        assertThat(sequencer.accountsInFlight()).isZero();
    }
}
