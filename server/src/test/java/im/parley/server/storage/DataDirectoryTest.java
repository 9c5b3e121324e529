package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 17 item 1: {@code data_dir} is created 0700; an open one is closed, with a warning. */
class DataDirectoryTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(DataDirectory.class)).addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(DataDirectory.class)).detachAppender(log);
    }

    @Test
    void aNewDataDirectoryIsCreatedForItsOwnerOnly() throws Exception {
        Path data = dir.resolve("var/data");

        DataDirectory.secure(data);

        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(log.list).isEmpty();
    }

    @Test
    void anOpenDataDirectoryAndEverythingInItIsClosedWithAWarning() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path database = open(Files.writeString(data.resolve("parley.mv.db"), "db"), "rw-r--r--");
        Path lock = open(Files.writeString(data.resolve("parley.lock.db"), "server=10.0.0.1:4711"), "rw-rw-rw-");
        Path certs = open(Files.createDirectory(data.resolve("certs")), "rwxr-xr-x");
        Path key = open(Files.writeString(certs.resolve("example.org.key"), "key"), "rw-r-----");
        open(data, "rwxr-xr-x");

        DataDirectory.secure(data);

        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(certs)).isEqualTo("rwx------");
        assertThat(permissions(database)).isEqualTo("rw-------");
        assertThat(permissions(lock)).isEqualTo("rw-------");
        assertThat(permissions(key)).isEqualTo("rw-------");
        assertThat(log.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .startsWith("5 entries of data directory " + data.toAbsolutePath().normalize() + " were open"));
    }

    @Test
    void aClosedDataDirectoryIsLeftAloneQuietly() throws Exception {
        Path data = open(Files.createDirectory(dir.resolve("data")), "rwx------");
        Path executable = open(Files.writeString(data.resolve("hook.sh"), "#!/bin/sh"), "rwx------");

        DataDirectory.secure(data);

        assertThat(permissions(executable)).isEqualTo("rwx------");
        assertThat(log.list).isEmpty();
    }

    @Test
    void symbolicLinksAreNotFollowed() throws Exception {
        Path outside = open(Files.writeString(dir.resolve("fullchain.pem"), "certificate"), "rw-r--r--");
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.createSymbolicLink(data.resolve("fullchain.pem"), outside);

        DataDirectory.secure(data);

        assertThat(permissions(outside)).isEqualTo("rw-r--r--");
    }

    @Test
    void aDataDirectoryGivenAsALinkIsClosedWhereItReallyIs() throws Exception {
        Path real = open(Files.createDirectory(dir.resolve("srv-parley")), "rwxr-xr-x");
        Path link = Files.createSymbolicLink(dir.resolve("data"), real);

        DataDirectory.secure(link);

        assertThat(permissions(real)).isEqualTo("rwx------");
    }

    private static Path open(Path path, String permissions) throws IOException {
        return Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
