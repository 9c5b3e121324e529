package im.parley.server.modules.mam;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a copy kept in {@code data_dir/native/}, written once per
 * library version. RocksDB's own loader ({@link RocksDB#loadLibrary()}) copies the 15 MB library
 * out of its jar into {@code java.io.tmpdir} at every start (about 0.1 s of a small server's start,
 * issue 19) and deletes the copy only when the JVM exits in good order: every crash or
 * {@code kill -9} left 15 MB in {@code /tmp}. The copy here is named after the jar entry's CRC and
 * size (read from the jar's directory, without inflating the entry), so an upgraded jar writes a
 * new one and the copies of other versions are removed; it is the owner's only, as the rest of
 * {@code data_dir} (0700 directory, 0600 file: the dynamic loader needs to read it, not execute it).
 * Where that does not work (a jar without this platform's library, a {@code data_dir} on a
 * file system mounted {@code noexec}), RocksDB's own loader is tried.
 */
final class RocksNativeLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(RocksNativeLibrary.class);
    /** The library is the JVM's, loaded once whatever the number of servers or domains in it. */
    private static final AtomicBoolean LOADED = new AtomicBoolean();
    static final String DIRECTORY = "native";
    private static final String PREFIX = "rocksdbjni-";

    private RocksNativeLibrary() {
    }

    /**
     * Loads the library, from {@code nativeDirectory} if it can.
     *
     * @throws LinkageError or RuntimeException if it does not load at all
     */
    static synchronized void load(Path nativeDirectory) {
        if (LOADED.get()) {
            return;
        }
        try {
            Path directory = copied(nativeDirectory.toAbsolutePath());
            if (directory != null) {
                RocksDB.loadLibrary(List.of(directory.toString()));
                LOADED.set(true);
                removeOtherVersions(nativeDirectory, directory);
                return;
            }
        } catch (IOException | LinkageError | RuntimeException e) {
            LOG.info("RocksDB's native library does not load from {} ({}): loading it RocksDB's way", nativeDirectory,
                    e.toString());
        }
        RocksDB.loadLibrary();
        LOADED.set(true);
    }

    /**
     * The directory holding this version's copy under the name {@link RocksDB#loadLibrary(List)}
     * looks for, written now if it is not there whole; null if the jar has no library for this
     * platform. Absolute: {@link System#load} takes no other path.
     */
    static Path copied(Path nativeDirectory) throws IOException {
        URL resource = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        if (resource == null) {
            return null;
        }
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false);
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        if (entry.getSize() < 0 || entry.getCrc() < 0) {
            return null;
        }
        Path directory = OwnerOnlyFiles.createDirectories(nativeDirectory.toAbsolutePath()
                .resolve(PREFIX + Long.toHexString(entry.getCrc()) + "-" + entry.getSize()));
        Path library = directory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
            return directory;
        }
        Path partial = Files.createTempFile(directory, "partial-", ".so");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (OwnerOnlyFiles.isPosix(partial)) {
                Files.setPosixFilePermissions(partial, OwnerOnlyFiles.FILE);
            }
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        LOG.info("RocksDB's native library copied to {}", library);
        return directory;
    }

    /** Removes the copies of other versions (an upgrade leaves the previous one), best effort. */
    static void removeOtherVersions(Path nativeDirectory, Path kept) {
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(nativeDirectory, PREFIX + "*")) {
            for (Path version : versions) {
                // By name: one of the paths may be absolute, the other not.
                if (!version.getFileName().equals(kept.getFileName())) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(version)) {
                        for (Path file : files) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.deleteIfExists(version);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot remove older copies of RocksDB's native library from {}", nativeDirectory, e);
        }
    }
}
