package im.parley.server.storage;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.message.DbException;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's file system with every file it creates 0600 and every directory 0700 from the start
 * (through H2's pluggable file system, {@code FilePath.register}): the database, its trace file
 * and the files of {@code SHUTDOWN COMPACT} would otherwise get the process umask, 0644 as a rule.
 * Database URLs name it as the scheme {@value #SCHEME}{@code :}. Public with a public
 * constructor because H2 makes an instance per path by reflection.
 */
public final class OwnerOnlyFilePath extends FilePathWrapper {

    static final String SCHEME = "owneronly";

    static {
        FilePath.register(new OwnerOnlyFilePath());
    }

    /** Makes the scheme known to H2; idempotent. */
    static void register() {
        // The static initialiser did it.
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean createFile() {
        try {
            return OwnerOnlyFiles.createFile(path());
        } catch (IOException e) {
            throw DbException.convertIOException(e, name);
        }
    }

    @Override
    public void createDirectory() {
        try {
            OwnerOnlyFiles.createDirectories(path());
        } catch (IOException e) {
            throw DbException.convertIOException(e, name);
        }
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (mode.contains("w")) {
            OwnerOnlyFiles.createFile(path());
        }
        return super.open(mode);
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        OwnerOnlyFiles.createFile(path());
        return super.newOutputStream(append);
    }

    private Path path() {
        return Path.of(getBase().toString());
    }
}
