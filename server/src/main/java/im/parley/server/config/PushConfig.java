package im.parley.server.config;

import java.time.Duration;

/**
 * Push notifications (XEP-0357) on the server, and the push app server Parley can run itself
 * (docs/mobile-push.md).
 *
 * @param enabled whether clients may enable push notifications
 * @param maxRegistrations most app server registrations per account; enabling one more removes the oldest
 * @param includeSender whether notifications name the last sender ({@code last-message-sender})
 * @param includeBody whether notifications carry the last message body for every account; when
 *     false, only registrations whose publish-options ask for it ({@code include-body}) get it
 * @param maxErrors consecutive failed publishes after which a registration is removed
 * @param minInterval while a notification to an app server is unanswered, no other goes to it for this long
 * @param appServer the push app server started inside Parley, as an XEP-0114 component
 */
public record PushConfig(boolean enabled, int maxRegistrations, boolean includeSender, boolean includeBody,
                         int maxErrors, Duration minInterval, PushAppServerConfig appServer) {

    public static PushConfig defaults() {
        return new PushConfig(true, 5, true, false, 5, Duration.ofSeconds(30), PushAppServerConfig.defaults());
    }

    public PushConfig withEnabled(boolean v) {
        return new PushConfig(v, maxRegistrations, includeSender, includeBody, maxErrors, minInterval, appServer);
    }

    public PushConfig withMaxRegistrations(int v) {
        return new PushConfig(enabled, v, includeSender, includeBody, maxErrors, minInterval, appServer);
    }

    public PushConfig withIncludeSender(boolean v) {
        return new PushConfig(enabled, maxRegistrations, v, includeBody, maxErrors, minInterval, appServer);
    }

    public PushConfig withIncludeBody(boolean v) {
        return new PushConfig(enabled, maxRegistrations, includeSender, v, maxErrors, minInterval, appServer);
    }

    public PushConfig withMaxErrors(int v) {
        return new PushConfig(enabled, maxRegistrations, includeSender, includeBody, v, minInterval, appServer);
    }

    public PushConfig withMinInterval(Duration v) {
        return new PushConfig(enabled, maxRegistrations, includeSender, includeBody, maxErrors, v, appServer);
    }

    public PushConfig withAppServer(PushAppServerConfig v) {
        return new PushConfig(enabled, maxRegistrations, includeSender, includeBody, maxErrors, minInterval, v);
    }
}
