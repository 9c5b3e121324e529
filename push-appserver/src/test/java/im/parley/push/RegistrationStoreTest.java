package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationStoreTest {
    @TempDir
    Path dir;

    /** Issue 17 item 1: the file holds device tokens and node secrets, so only its owner may read it. */
    @Test
    void registrationsAreKeptInAFileOnlyItsOwnerCanReadAndSurviveARestart() throws Exception {
        Path file = dir.resolve("data/push-registrations.json");
        Registration registration = new RegistrationStore(file).register("juliet@example.org", "d1",
                Registration.Service.FCM, "token", null, Registration.Style.DATA, Registration.Platform.ANDROID);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new RegistrationStore(file).byNode(registration.node())).contains(registration);
    }
}
