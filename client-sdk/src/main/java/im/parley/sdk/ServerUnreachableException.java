package im.parley.sdk;

/** No connection could be opened to the server: wrong host or port, server down, no network. */
public final class ServerUnreachableException extends ChatException {
    private static final long serialVersionUID = 1L;

    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
