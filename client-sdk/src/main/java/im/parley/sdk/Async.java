package im.parley.sdk;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Runs a blocking SDK call on the client's executor; the future fails with the SDK's own exception. */
final class Async {

    @FunctionalInterface
    interface Call<T> {
        T run() throws ChatException;
    }

    private Async() {
    }

    static <T> CompletableFuture<T> run(Executor executor, Call<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                future.complete(call.run());
            } catch (ChatException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }
}
