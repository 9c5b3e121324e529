package im.parley.push;

import java.util.concurrent.CompletableFuture;

/** Forwards a notification to one push service. */
public interface PushSender extends AutoCloseable {

    /** What the push service said. */
    enum Result {
        /** Accepted for delivery. */
        DELIVERED,
        /** The device token is no longer valid: the registration is removed. */
        INVALID_TOKEN,
        /** Try later (rate limited, service unavailable). */
        TEMPORARY_FAILURE,
        /** Refused for another reason (our credentials, a malformed request). */
        FAILURE
    }

    CompletableFuture<Result> send(Registration registration, Notification notification);

    @Override
    void close();
}
