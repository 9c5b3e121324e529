package im.parley.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17 item 1: every file Parley writes is 0600, every directory it creates 0700. */
class OwnerOnlyFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeCreatesMissingDirectoriesForTheOwnerOnlyAndAFileForTheOwnerOnly() throws Exception {
        Path file = dir.resolve("a/b/secret.txt");

        OwnerOnlyFiles.write(file, "hello".getBytes(StandardCharsets.US_ASCII));

        assertThat(file).hasContent("hello");
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(permissions(dir.resolve("a/b"))).isEqualTo("rwx------");
    }

    @Test
    void writeReplacesAnOpenFileWithAnOwnerOnlyOneAndLeavesNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("registrations.json"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnlyFiles.write(file, "new".getBytes(StandardCharsets.US_ASCII));

        assertThat(file).hasContent("new");
        assertThat(permissions(file)).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void createFileIsOwnerOnlyAndNeverReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("lock");

        assertThat(OwnerOnlyFiles.createFile(file)).isTrue();
        assertThat(OwnerOnlyFiles.createFile(file)).isFalse();

        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    @Test
    void createDirectoriesLeavesAnExistingDirectoryAlone() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        OwnerOnlyFiles.createDirectories(existing);

        assertThat(permissions(existing)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aSecretIsGeneratedOnceAndReadBackOwnerOnly() throws Exception {
        Path file = dir.resolve("dialback.secret");

        String first = SecretFile.loadOrCreate(file);
        String second = SecretFile.loadOrCreate(file);

        assertThat(first).hasSize(64).matches("[0-9a-f]+").isEqualTo(second);
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    @Test
    void createReplacesTheSecret() throws Exception {
        Path file = dir.resolve("admin.secret");
        String first = SecretFile.create(file);

        assertThat(SecretFile.create(file)).isNotEqualTo(first);
        assertThat(SecretFile.loadOrCreate(file)).isNotEqualTo(first);
    }

    @Test
    void aShortSecretIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("short.secret"), "abc\n");

        assertThatThrownBy(() -> SecretFile.loadOrCreate(file))
                .isInstanceOf(IOException.class).hasMessageContaining("shorter than 128 bits");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
