package im.parley.sdk;

/**
 * The server refused the credentials: wrong password or unknown account (SASL failure
 * {@code not-authorized}, RFC 6120 §6.5.10). Retrying with the same password will not help.
 */
public final class AuthenticationFailedException extends ChatException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
