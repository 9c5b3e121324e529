package im.parley.server.modules.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.Set;

/**
 * Where uploaded files are kept, by key (the slot's token): on the local disk today
 * ({@link LocalFileStore}), in an object store later. Every method blocks: call it on the
 * blocking executor.
 */
public interface FileStore {

    /** A file being uploaded: invisible under its key until {@link #commit()}. */
    interface PendingFile {

        /** Appends bytes at the end of the file. */
        void write(ByteBuffer bytes) throws IOException;

        /** Makes the complete file visible under its key, at once (never half-written). */
        void commit() throws IOException;

        /** Drops what was written. */
        void discard();
    }

    /** Starts a new file under {@code key}. */
    PendingFile create(String key) throws IOException;

    /** The file stored under {@code key}, open for reading, or empty. */
    Optional<SeekableByteChannel> open(String key) throws IOException;

    /** Deletes the file under {@code key}, if there is one. */
    void delete(String key) throws IOException;

    /** The keys of the stored files (to find those no slot names any more). */
    Set<String> keys() throws IOException;

    /** Drops what uploads cut off by a stop left behind. */
    void dropUnfinished() throws IOException;
}
