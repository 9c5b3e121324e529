package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start-prosody.sh} refuses at once, naming the Debian package, to start a Prosody that
 * cannot resolve the test domains. Prosody reads {@code /etc/hosts} only through libunbound's Lua
 * binding (Debian's {@code lua-unbound}, a mere "Recommends" of {@code prosody} that
 * {@code apt-get install --no-install-recommends} leaves out); without it every federation test
 * against Prosody used to time out after 30 s with no hint why (issue 17, item 6).
 */
class ProsodyPeerPreflightTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aProsodyWhoseLuaLacksTheUnboundBindingFailsTheStartNamingLuaUnbound(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // A Lua in which require "lunbound" fails, as Debian's lua5.4 does without lua-unbound.
        executable(bin.resolve("lua-without-unbound"), "#!/bin/sh\necho \"module 'lunbound' not found\" >&2\nexit 1\n");
        // Debian's /usr/bin/prosody names its interpreter on its #! line (#!/usr/bin/env lua5.4).
        executable(bin.resolve("prosody"), "#!/usr/bin/env lua-without-unbound\n");
        PeerScripts scripts = new PeerScripts(dir).with("PATH", bin + File.pathSeparator + System.getenv("PATH"));

        assertThatThrownBy(() -> scripts.run("start-prosody.sh", "preflight.interop.test", "127.0.0.59"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot resolve the test domains")
                .hasMessageContaining("apt-get install lua-unbound");
    }

    private static void executable(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
