package im.parley.server.event;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The part of a stanza's handling that belongs to one local account (the recipient's, or for a
 * stanza a client sends, its sender's). A handler that must continue asynchronously (storage, a
 * lookup) defers the work here: it runs as part of the stanza's turn among the account's
 * stanzas, so the account's later stanzas wait until it is done (RFC 6120 §10.1), and the
 * stanza counts as handled (XEP-0198 §4) only after it. Deferred work must not wait for another
 * account's turn (two accounts waiting for each other would never go on).
 */
public interface AccountWork {

    /** For stanzas that concern no local account (to the server itself): work runs at once. */
    AccountWork NONE = new AccountWork() {
        @Override
        public <T> CompletionStage<T> defer(Supplier<? extends CompletionStage<T>> work) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    };

    /**
     * Runs {@code work} now, or as soon as the stanza's turn comes; work deferred from inside
     * deferred work runs within the same turn. Completes with the work's result.
     */
    <T> CompletionStage<T> defer(Supplier<? extends CompletionStage<T>> work);
}
