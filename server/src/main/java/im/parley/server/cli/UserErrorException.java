package im.parley.server.cli;

/** A mistake in what the user asked for; reported as one line with exit code 2. */
final class UserErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    UserErrorException(String message) {
        super(message);
    }

    UserErrorException(String message, Throwable cause) {
        super(message, cause);
    }
}
