package im.parley.core.sasl;

import java.util.Locale;

/** The SASL failure conditions of RFC 6120 §6.5, sent as children of {@code <failure/>}. */
public enum SaslFailure {
    /** §6.5.1: the receiving entity acknowledges an {@code <abort/>}. */
    ABORTED,
    /** §6.5.2: the account has been temporarily or permanently disabled. */
    ACCOUNT_DISABLED,
    /** §6.5.3: the credentials have expired. */
    CREDENTIALS_EXPIRED,
    /** §6.5.4: the mechanism requires a confidential channel (e.g. PLAIN without TLS). */
    ENCRYPTION_REQUIRED,
    /** §6.5.5: the data could not be processed because its base 64 encoding is incorrect. */
    INCORRECT_ENCODING,
    /** §6.5.6: the authzid is invalid or the authenticated identity may not act as it. */
    INVALID_AUTHZID,
    /** §6.5.7: the mechanism is not supported or not offered. */
    INVALID_MECHANISM,
    /** §6.5.8: the request is malformed (the mechanism's own syntax is violated). */
    MALFORMED_REQUEST,
    /** §6.5.9: the mechanism is weaker than server policy allows for this client. */
    MECHANISM_TOO_WEAK,
    /** §6.5.10: the credentials are not valid. */
    NOT_AUTHORIZED,
    /** §6.5.11: a temporary error on the receiving entity's side (e.g. storage unavailable). */
    TEMPORARY_AUTH_FAILURE;

    /** The element name in the {@code urn:ietf:params:xml:ns:xmpp-sasl} namespace, e.g. {@code not-authorized}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
