package im.parley.server.storage;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory ({@code data_dir}): the embedded database, generated certificates, keys and
 * secrets, the admin socket. Whoever can read it can read every account's SCRAM keys and every
 * private key, so only the server's user may enter it (0700) and read what is in it (0600). A new
 * one is created that way; in an existing one (made by an older version, or by hand) every
 * permission for group and others is taken away, with a warning.
 */
public final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int NAMED_IN_WARNING = 5;

    private DataDirectory() {
    }

    /**
     * Creates {@code directory} (0700) if it is missing, else closes it and everything in it to
     * group and others. Symbolic links inside it are not followed: what they point to is the
     * operator's.
     *
     * @throws StorageException if the directory cannot be created
     */
    public static void secure(Path directory) {
        if (!Files.isDirectory(directory)) {
            try {
                OwnerOnlyFiles.createDirectories(directory);
            } catch (IOException e) {
                throw new StorageException("cannot create data directory " + directory + ": " + e.getMessage(), e);
            }
            return;
        }
        if (!OwnerOnlyFiles.isPosix(directory)) {
            return;
        }
        List<Path> opened = new ArrayList<>();
        try {
            // data_dir itself may be a link (/var/lib/parley -> /srv/parley): its target is what to close.
            Files.walkFileTree(directory.toRealPath(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    tighten(dir, opened);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (!attributes.isSymbolicLink()) {
                        tighten(file, opened);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    LOG.warn("cannot check the permissions of {}: {}", file, e.toString());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot check the permissions in data directory {}: {}", directory, e.toString());
        }
        if (!opened.isEmpty()) {
            LOG.warn("{} entries of data directory {} were open to other users; now only its owner may use them: {}{}",
                    opened.size(), directory.toAbsolutePath().normalize(),
                    opened.subList(0, Math.min(NAMED_IN_WARNING, opened.size())),
                    opened.size() > NAMED_IN_WARNING ? " ..." : "");
        }
    }

    private static void tighten(Path path, List<Path> opened) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.removeAll(GROUP_AND_OTHERS)) {
                Files.setPosixFilePermissions(path, permissions);
                opened.add(path);
            }
        } catch (IOException | SecurityException e) {
            // Not ours to change (another owner): say so rather than refuse to start.
            LOG.warn("{} is open to other users and cannot be closed ({}); make it {}", path, e.toString(),
                    PosixFilePermissions.toString(Files.isDirectory(path) ? OwnerOnlyFiles.DIRECTORY
                            : OwnerOnlyFiles.FILE));
        }
    }
}
