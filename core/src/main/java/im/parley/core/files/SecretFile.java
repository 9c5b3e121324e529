package im.parley.core.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random 256-bit secret, hex-encoded in an owner-only (0600) file: the dialback secret, the
 * embedded database's password, the admin socket's secret.
 */
public final class SecretFile {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;
    /** 128 bits, hex-encoded: the least a secret written by hand may have. */
    private static final int MIN_HEX_CHARS = 32;

    private SecretFile() {
    }

    /**
     * The secret in {@code file}, or a fresh one written there if the file does not exist, so
     * that it stays the same across restarts.
     *
     * @throws IOException if the file cannot be read or written, or holds fewer than 128 bits
     */
    public static String loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            return create(file);
        }
        String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (secret.length() < MIN_HEX_CHARS) {
            throw new IOException("the secret in " + file + " is shorter than 128 bits");
        }
        return secret;
    }

    /** Writes a fresh secret to {@code file}, replacing the one there, and returns it. */
    public static String create(Path file) throws IOException {
        String secret = random();
        OwnerOnlyFiles.write(file, (secret + "\n").getBytes(StandardCharsets.US_ASCII));
        return secret;
    }

    /** A fresh 256-bit secret, hex-encoded, kept nowhere. */
    public static String random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
