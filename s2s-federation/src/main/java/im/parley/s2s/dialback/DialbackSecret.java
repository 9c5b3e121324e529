package im.parley.s2s.dialback;

import im.parley.core.files.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The per-server dialback secret (XEP-0185 §3): configured, or generated once and kept in a
 * file so keys handed out before a restart still verify after it.
 */
public final class DialbackSecret {

    private DialbackSecret() {
    }

    /** Reads the secret from {@code file}, or writes a fresh 256-bit one there (0600) if absent. */
    public static byte[] loadOrCreate(Path file) throws IOException {
        return SecretFile.loadOrCreate(file).getBytes(StandardCharsets.US_ASCII);
    }
}
