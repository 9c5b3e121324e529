package im.parley.sdk;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs one BOSH request to the connection manager. Each call may use a new HTTP connection; a
 * broken connection or a timeout fails the returned future with an {@link java.io.IOException},
 * and cancelling the future abandons the request.
 */
interface BoshHttp {

    /** An HTTP response: its status code and its body as text. */
    record Reply(int status, String body) {
    }

    /**
     * @param written run once the body has been handed to the connection, so that the next
     *     request goes out after it; not run if the request fails before
     */
    CompletableFuture<Reply> post(String body, Duration timeout, Runnable written);
}
