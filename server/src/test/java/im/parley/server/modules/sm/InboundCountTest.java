package im.parley.server.modules.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * XEP-0198 §4: "h" is the number of stanzas handled. A stanza counts once its handling is
 * complete, and only after every stanza received before it, so an acknowledged stanza is never
 * one whose storage is still on its way.
 */
class InboundCountTest {

    private final InboundCount count = new InboundCount();

    @Test
    void stanzasHandledAtOnceCountAtOnce() {
        count.received(CompletableFuture.completedFuture(null));
        count.received(CompletableFuture.completedFuture(null));

        assertThat(count.handled()).isEqualTo(2);
    }

    @Test
    void aStanzaBeingStoredHoldsBackEveryLaterOne() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        count.received(CompletableFuture.completedFuture(null));
        count.received(storing);
        count.received(CompletableFuture.completedFuture(null));

        assertThat(count.handled()).isEqualTo(1);
        storing.complete(null);
        assertThat(count.handled()).isEqualTo(3);
    }

    @Test
    void laterStanzasFinishingFirstDoNotCountBeforeEarlierOnes() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        count.received(first);
        count.received(second);

        second.complete(null);
        assertThat(count.handled()).isZero();
        first.complete(null);
        assertThat(count.handled()).isEqualTo(2);
    }

    @Test
    void handledSoFarWaitsForWhatWasReceivedBeforeAndNotAfter() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> later = new CompletableFuture<>();
        count.received(first);
        CompletionStage<Long> settled = count.handledSoFar();
        count.received(later);

        assertThat(settled.toCompletableFuture().isDone()).isFalse();
        first.complete(null);
        assertThat(settled.toCompletableFuture().join()).isEqualTo(1);
    }

    @Test
    void wrapsAroundAtTwoToTheThirtyTwo() {
        InboundCount wrapped = new InboundCount();
        for (long i = 0; i < 3; i++) {
            wrapped.received(CompletableFuture.completedFuture(null));
        }
        assertThat(wrapped.handled()).isEqualTo(3 % SequenceNumbers.MODULUS);
        assertThat(SequenceNumbers.next(SequenceNumbers.MODULUS - 1)).isZero();
    }
}
