package im.parley.server.modules.push;

import im.parley.server.module.ModuleContext;
import java.time.Duration;

/**
 * Push notifications (XEP-0357) on the server: the values of the {@code push} options
 * ({@link PushModule}); see docs/mobile-push.md.
 *
 * @param enabled whether clients may enable push notifications
 * @param maxRegistrations most app server registrations per account; enabling one more removes the oldest
 * @param includeSender whether notifications name the last sender ({@code last-message-sender})
 * @param includeBody whether notifications carry the last message body for every account; when
 *     false, only registrations whose publish-options ask for it ({@code include-body}) get it
 * @param maxErrors consecutive failed publishes after which a registration is removed
 * @param minInterval while a notification to an app server is unanswered, no other goes to it for this long
 */
public record PushConfig(boolean enabled, int maxRegistrations, boolean includeSender, boolean includeBody,
                         int maxErrors, Duration minInterval) {

    /** The values of the {@code push} options. */
    public static PushConfig of(ModuleContext context) {
        return new PushConfig(context.option(PushModule.ENABLED), context.option(PushModule.MAX_REGISTRATIONS),
                context.option(PushModule.INCLUDE_SENDER), context.option(PushModule.INCLUDE_BODY),
                context.option(PushModule.MAX_ERRORS), context.option(PushModule.MIN_INTERVAL));
    }
}
