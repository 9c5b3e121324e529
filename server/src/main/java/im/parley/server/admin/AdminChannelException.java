package im.parley.server.admin;

/** The admin socket of a running server could not be used, or refused the request. */
public final class AdminChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdminChannelException(String message) {
        super(message);
    }

    AdminChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
