package im.parley.server.modules.pubsub;

import java.util.Optional;

/**
 * The states of a subscription the service keeps (XEP-0060 §4.2): subscribed, or pending an
 * owner's approval (the {@code authorize} access model, §6.1.2.2). None is no row; subscription
 * options (§6.3) are offered, never required, so none is ever unconfigured (§6.1.5).
 */
enum SubscriptionState {
    SUBSCRIBED("subscribed"), PENDING("pending");

    private final String value;

    SubscriptionState(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    static Optional<SubscriptionState> of(String value) {
        for (SubscriptionState state : values()) {
            if (state.value.equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
