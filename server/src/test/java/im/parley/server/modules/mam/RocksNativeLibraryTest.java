package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.files.OwnerOnlyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.util.Environment;

/**
 * RocksDB's native library is copied into {@code data_dir/native/} once per version, the owner's
 * only, instead of into {@code /tmp} at every start (issue 19: start time; a killed server left
 * 15 MB there each time).
 */
class RocksNativeLibraryTest {

    @TempDir
    Path dataDir;

    @Test
    void theLibraryIsCopiedOnceTheOwnersOnlyUnderTheNameRocksDbLoadsItBy() throws Exception {
        Path nativeDirectory = dataDir.resolve(RocksNativeLibrary.DIRECTORY);

        Path directory = RocksNativeLibrary.copied(nativeDirectory);

        Path library = directory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        assertThat(library).isRegularFile();
        assertThat(Files.size(library)).isGreaterThan(1_000_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nativeDirectory))).isEqualTo("rwx------");
        try (var files = Files.list(directory)) {
            assertThat(files).as("no partial copy left").containsExactly(library);
        }

        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, written);
        assertThat(RocksNativeLibrary.copied(nativeDirectory)).isEqualTo(directory);
        assertThat(Files.getLastModifiedTime(library)).as("a whole copy is not written again").isEqualTo(written);
    }

    @Test
    void aTornCopyIsWrittenAgain() throws Exception {
        Path nativeDirectory = dataDir.resolve(RocksNativeLibrary.DIRECTORY);
        Path directory = RocksNativeLibrary.copied(nativeDirectory);
        Path library = directory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        long size = Files.size(library);
        Files.write(library, new byte[] {1, 2, 3});

        RocksNativeLibrary.copied(nativeDirectory);

        assertThat(Files.size(library)).isEqualTo(size);
    }

    @Test
    void theCopiesOfOtherVersionsAreRemoved() throws Exception {
        Path nativeDirectory = dataDir.resolve(RocksNativeLibrary.DIRECTORY);
        Path kept = RocksNativeLibrary.copied(nativeDirectory);
        Path older = OwnerOnlyFiles.createDirectories(nativeDirectory.resolve("rocksdbjni-12345678-1000"));
        Files.write(older.resolve(Environment.getJniLibraryFileName("rocksdbjni")), new byte[1000]);

        RocksNativeLibrary.removeOtherVersions(nativeDirectory, kept);

        assertThat(older).doesNotExist();
        assertThat(kept).isDirectory();
    }

    /**
     * {@code data_dir} is relative by default ({@code ./data}): the copy's directory is absolute
     * ({@link System#load} takes no other path), and the removal of other versions, given one
     * path of each kind, keeps it (a first start once removed the copy it had just made).
     */
    @Test
    void aRelativeDataDirGivesAnAbsoluteCopyThatIsKept() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dataDir.resolve(RocksNativeLibrary.DIRECTORY));

        Path kept = RocksNativeLibrary.copied(relative);

        assertThat(kept).isAbsolute();
        RocksNativeLibrary.removeOtherVersions(relative, kept);
        assertThat(kept.resolve(Environment.getJniLibraryFileName("rocksdbjni"))).isRegularFile();
    }
}
