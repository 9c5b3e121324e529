package im.parley.server.modules.presence;

import java.util.Locale;
import java.util.Optional;

/** The four presence types that manage subscriptions (RFC 6121 §3). */
public enum SubscriptionType {
    SUBSCRIBE,
    SUBSCRIBED,
    UNSUBSCRIBE,
    UNSUBSCRIBED;

    /** The type for a presence {@code type} attribute, or empty for any other presence. */
    public static Optional<SubscriptionType> of(String type) {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type) {
            case "subscribe" -> Optional.of(SUBSCRIBE);
            case "subscribed" -> Optional.of(SUBSCRIBED);
            case "unsubscribe" -> Optional.of(UNSUBSCRIBE);
            case "unsubscribed" -> Optional.of(UNSUBSCRIBED);
            default -> Optional.empty();
        };
    }

    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
