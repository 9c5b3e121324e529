package im.parley.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** XEP-0198 §4 counts a stanza once its handling is complete: {@link Handling} tells when. */
class HandlingTest {

    @Test
    void completesWhenTheSynchronousPartEndsIfNothingWasTracked() {
        Handling handling = Handling.begin();
        assertThat(handling.isComplete()).isFalse();

        handling.end();

        assertThat(handling.isComplete()).isTrue();
    }

    @Test
    void waitsForEveryPieceOfTrackedWork() {
        Handling handling = Handling.begin();
        CompletableFuture<Void> store = new CompletableFuture<>();
        CompletableFuture<Void> push = new CompletableFuture<>();
        handling.track(store);
        handling.track(push);
        handling.end();

        store.complete(null);
        assertThat(handling.isComplete()).isFalse();
        push.complete(null);
        assertThat(handling.isComplete()).isTrue();
    }

    @Test
    void workTrackedByRunningWorkKeepsItOpen() {
        Handling handling = Handling.begin();
        CompletableFuture<Void> store = new CompletableFuture<>();
        CompletableFuture<Void> reply = new CompletableFuture<>();
        handling.track(store.thenRun(() -> handling.track(reply)));
        handling.end();

        store.complete(null);
        assertThat(handling.isComplete()).isFalse();
        reply.complete(null);
        assertThat(handling.isComplete()).isTrue();
    }

    @Test
    void failedWorkCountsAsDone() {
        // A failure is answered with an error to the sender: that is handling too.
        Handling handling = Handling.begin();
        CompletableFuture<Void> store = new CompletableFuture<>();
        handling.track(store);
        handling.end();

        store.completeExceptionally(new IllegalStateException("database down"));

        assertThat(handling.isComplete()).isTrue();
    }

    @Test
    void noneTracksNothingAndIsAlwaysComplete() {
        CompletableFuture<Void> never = new CompletableFuture<>();
        Handling.none().track(never);
        Handling.none().end();

        assertThat(Handling.none().isComplete()).isTrue();
    }
}
