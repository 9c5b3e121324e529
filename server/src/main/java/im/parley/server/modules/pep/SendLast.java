package im.parley.server.modules.pep;

import java.util.Locale;
import java.util.Optional;

/**
 * When the last published item goes to a subscriber (XEP-0060 §12.20, field
 * {@code pubsub#send_last_published_item}); PEP's default is {@link #ON_SUB_AND_PRESENCE}
 * (XEP-0163 §4.3.4): the last item goes to a new explicit subscriber (§6.1.7) unless
 * {@link #NEVER}, and to a newly available resource (XEP-0163 §4.3.4) only with that value.
 */
enum SendLast {
    NEVER, ON_SUB, ON_SUB_AND_PRESENCE;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SendLast> of(String value) {
        return Pubsub.valueNamed(SendLast.class, value);
    }
}
