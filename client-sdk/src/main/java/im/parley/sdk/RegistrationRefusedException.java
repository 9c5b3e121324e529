package im.parley.sdk;

/**
 * The server did not create the account (XEP-0077 §3.1): registration is not allowed there,
 * the name is taken ({@code conflict}), or the request was not acceptable. {@link #condition()}
 * names the stanza error condition (RFC 6120 §8.3.3), e.g. {@code conflict}.
 */
public final class RegistrationRefusedException extends ChatException {
    private static final long serialVersionUID = 1L;
    private final String condition;

    public RegistrationRefusedException(String message, String condition, Throwable cause) {
        super(message, cause);
        this.condition = condition;
    }

    /** The stanza error condition the server gave, e.g. {@code conflict} or {@code not-allowed}. */
    public String condition() {
        return condition;
    }
}
