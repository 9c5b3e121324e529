package im.parley.server.modules.upload;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Files in a directory of the data directory ({@code <data_dir>/upload/<service>}), owner-only
 * like everything there (0700, 0600). A file is written under {@code .partial/} and moved into
 * place in one step once complete, so that a reader never sees half a file. A key is a slot's
 * token, checked against {@link #KEY} before it becomes a file name: no path ever comes from a
 * client.
 */
final class LocalFileStore implements FileStore {

    /** What a key looks like: a token of {@link Slots}, URL-safe Base64. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final Path directory;
    private final Path partial;

    LocalFileStore(Path directory) throws IOException {
        this.directory = OwnerOnlyFiles.createDirectories(directory);
        this.partial = OwnerOnlyFiles.createDirectories(directory.resolve(".partial"));
    }

    @Override
    public PendingFile create(String key) throws IOException {
        Path target = file(key);
        Path temporary = partial.resolve(checked(key));
        OwnerOnlyFiles.createFile(temporary);
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new PendingFile() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }

            @Override
            public void commit() throws IOException {
                channel.force(true);
                channel.close();
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            public void discard() {
                try {
                    channel.close();
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // the next start drops it (dropUnfinished)
                }
            }
        };
    }

    @Override
    public Optional<SeekableByteChannel> open(String key) throws IOException {
        try {
            return Optional.of(FileChannel.open(file(key), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(file(key));
    }

    @Override
    public Set<String> keys() throws IOException {
        Set<String> keys = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, Files::isRegularFile)) {
            for (Path file : files) {
                keys.add(file.getFileName().toString());
            }
        }
        return keys;
    }

    @Override
    public void dropUnfinished() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partial)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path file(String key) {
        return directory.resolve(checked(key));
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a file key: " + key);
        }
        return key;
    }
}
