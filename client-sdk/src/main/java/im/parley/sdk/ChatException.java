package im.parley.sdk;

/**
 * Something the server or the network refused. Subclasses name the cases an app usually
 * handles differently ({@link AuthenticationFailedException}, {@link ServerUnreachableException},
 * {@link UntrustedCertificateException}, {@link RegistrationRefusedException}); everything else
 * is a plain {@code ChatException} whose message says what failed.
 */
public class ChatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChatException(String message) {
        super(message);
    }

    public ChatException(String message, Throwable cause) {
        super(message, cause);
    }
}
