package im.parley.server.modules.mam;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.FlushJobInfo;
import org.rocksdb.RocksDB;
import org.rocksdb.TableFileCreationInfo;

/**
 * Keeps the files of a RocksDB directory the owner's only (0600), as the rest of data_dir:
 * RocksDB makes them with the process umask (0644 unless bin/parley's 077 applies) and has no
 * mode option in Java, so they are restricted once it opened them ({@link #restrict}) and,
 * as a listener, whenever it writes new ones (a flush, a compaction, the WAL and log that
 * follow); the 0700 directory keeps others out meanwhile.
 */
final class OwnerOnlyRocksFiles extends AbstractEventListener {

    private final Path directory;

    OwnerOnlyRocksFiles(Path directory) {
        super(EnabledEventCallback.ON_FLUSH_BEGIN, EnabledEventCallback.ON_FLUSH_COMPLETED,
                EnabledEventCallback.ON_COMPACTION_COMPLETED, EnabledEventCallback.ON_TABLE_FILE_CREATED);
        this.directory = directory;
    }

    @Override
    public void onFlushBegin(RocksDB db, FlushJobInfo flushJobInfo) {
        restrict(directory);
    }

    @Override
    public void onFlushCompleted(RocksDB db, FlushJobInfo flushJobInfo) {
        restrict(directory);
    }

    @Override
    public void onCompactionCompleted(RocksDB db, CompactionJobInfo compactionJobInfo) {
        restrict(directory);
    }

    @Override
    public void onTableFileCreated(TableFileCreationInfo tableFileCreationInfo) {
        restrict(directory);
    }

    /** Makes the regular files directly in {@code directory} 0600. */
    static void restrict(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, OwnerOnlyFiles.FILE);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not POSIX, or a file gone: the directory alone keeps others out.
        }
    }
}
