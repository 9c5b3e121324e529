package im.parley.s2s.dialback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The per-server dialback secret (XEP-0185 §3): configured, or generated once and kept in a
 * file so keys handed out before a restart still verify after it.
 */
public final class DialbackSecret {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DialbackSecret() {
    }

    /** Reads the secret from {@code file}, or writes a fresh 256-bit one there (owner-only) if absent. */
    public static byte[] loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.length() < 32) {
                throw new IOException("dialback secret in " + file + " is shorter than 128 bits");
            }
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String hex = HexFormat.of().formatHex(bytes);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, hex + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the data directory's own permissions protect it.
        }
        return hex.getBytes(StandardCharsets.US_ASCII);
    }
}
