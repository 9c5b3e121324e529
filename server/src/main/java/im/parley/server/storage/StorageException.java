package im.parley.server.storage;

/** The storage backend failed (the database is unreachable, a statement failed, ...). */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
