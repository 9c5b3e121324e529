package im.parley.sdk;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A request of a {@link BoshSession} not yet answered in order, kept to be sent again unchanged
 * (XEP-0124 §14.3), and what its HTTP reply means (§17.1). The mutable fields are guarded by the
 * session's monitor.
 */
final class BoshRequest {
    final long rid;
    final String xml;
    final boolean terminates;
    /** It has to go out: it is new, or its connection broke. */
    boolean unsent = true;
    /** It waits for the pause before it is sent again. */
    boolean pausing;
    /** Sendings so far; an answer to an earlier one is stale. */
    int attempt;
    int failures;
    long failingSince = -1;
    CompletableFuture<BoshHttp.Reply> exchange;
    BoshResponse answer;

    BoshRequest(long rid, String xml, boolean terminates) {
        this.rid = rid;
        this.xml = xml;
        this.terminates = terminates;
    }

    /** The response, or why there is none: a broken connection, a timeout, an intermediary's error. */
    BoshResponse read(BoshHttp.Reply reply, Throwable failure) throws IOException {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        }
        // §17.1: the deprecated HTTP error conditions are terminal; anything else is an intermediary's trouble.
        switch (reply.status()) {
            case 200 -> {
                return BoshResponse.parse(rid, reply.body());
            }
            case 400 -> throw new BoshSession.BoshTerminatedException("bad-request (HTTP 400)");
            case 403 -> throw new BoshSession.BoshTerminatedException("policy-violation (HTTP 403)");
            case 404 -> throw new BoshSession.BoshTerminatedException("item-not-found (HTTP 404)");
            default -> throw new IOException("HTTP status " + reply.status());
        }
    }
}
