package im.parley.core.stream;

import java.util.Locale;

/**
 * Defined stanza error conditions with the error type RFC 6120 §8.3.3 recommends for each.
 */
public enum StanzaErrorCondition {
    BAD_REQUEST(StanzaErrorType.MODIFY),
    CONFLICT(StanzaErrorType.CANCEL),
    FEATURE_NOT_IMPLEMENTED(StanzaErrorType.CANCEL),
    FORBIDDEN(StanzaErrorType.AUTH),
    GONE(StanzaErrorType.CANCEL),
    INTERNAL_SERVER_ERROR(StanzaErrorType.CANCEL),
    ITEM_NOT_FOUND(StanzaErrorType.CANCEL),
    JID_MALFORMED(StanzaErrorType.MODIFY),
    NOT_ACCEPTABLE(StanzaErrorType.MODIFY),
    NOT_ALLOWED(StanzaErrorType.CANCEL),
    NOT_AUTHORIZED(StanzaErrorType.AUTH),
    POLICY_VIOLATION(StanzaErrorType.MODIFY),
    RECIPIENT_UNAVAILABLE(StanzaErrorType.WAIT),
    REDIRECT(StanzaErrorType.MODIFY),
    REGISTRATION_REQUIRED(StanzaErrorType.AUTH),
    REMOTE_SERVER_NOT_FOUND(StanzaErrorType.CANCEL),
    REMOTE_SERVER_TIMEOUT(StanzaErrorType.WAIT),
    RESOURCE_CONSTRAINT(StanzaErrorType.WAIT),
    SERVICE_UNAVAILABLE(StanzaErrorType.CANCEL),
    SUBSCRIPTION_REQUIRED(StanzaErrorType.AUTH),
    UNDEFINED_CONDITION(StanzaErrorType.CANCEL),
    UNEXPECTED_REQUEST(StanzaErrorType.WAIT);

    private final StanzaErrorType defaultType;

    StanzaErrorCondition(StanzaErrorType defaultType) {
        this.defaultType = defaultType;
    }

    public StanzaErrorType defaultType() {
        return defaultType;
    }

    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The condition with the given element name, or {@link #UNDEFINED_CONDITION}. */
    public static StanzaErrorCondition fromElementName(String name) {
        for (StanzaErrorCondition c : values()) {
            if (c.elementName().equals(name)) {
                return c;
            }
        }
        return UNDEFINED_CONDITION;
    }
}
