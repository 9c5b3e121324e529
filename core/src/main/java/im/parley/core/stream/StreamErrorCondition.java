package im.parley.core.stream;

import java.util.Locale;

/** Defined stream error conditions, RFC 6120 §4.9.3. */
public enum StreamErrorCondition {
    BAD_FORMAT,
    BAD_NAMESPACE_PREFIX,
    CONFLICT,
    CONNECTION_TIMEOUT,
    HOST_GONE,
    HOST_UNKNOWN,
    IMPROPER_ADDRESSING,
    INTERNAL_SERVER_ERROR,
    INVALID_FROM,
    INVALID_NAMESPACE,
    INVALID_XML,
    NOT_AUTHORIZED,
    NOT_WELL_FORMED,
    POLICY_VIOLATION,
    REMOTE_CONNECTION_FAILED,
    RESET,
    RESOURCE_CONSTRAINT,
    RESTRICTED_XML,
    SEE_OTHER_HOST,
    SYSTEM_SHUTDOWN,
    UNDEFINED_CONDITION,
    UNSUPPORTED_ENCODING,
    UNSUPPORTED_FEATURE,
    UNSUPPORTED_STANZA_TYPE,
    UNSUPPORTED_VERSION;

    /** The element name of this condition, e.g. {@code not-well-formed}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The condition with the given element name, or {@link #UNDEFINED_CONDITION}. */
    public static StreamErrorCondition fromElementName(String name) {
        for (StreamErrorCondition c : values()) {
            if (c.elementName().equals(name)) {
                return c;
            }
        }
        return UNDEFINED_CONDITION;
    }
}
