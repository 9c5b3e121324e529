package im.parley.server.storage;

import java.nio.file.Path;

/** Another process holds the embedded database: a running server, as a rule. */
public final class DatabaseLockedException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public DatabaseLockedException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The database file. */
    public Path file() {
        return file;
    }
}
