package im.parley.core.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server stores for one account and one SCRAM hash (RFC 5802 §3 and §5.1): the salt,
 * the iteration count, {@code StoredKey} and {@code ServerKey}. The password itself is never
 * stored. {@code PLAIN} is verified against the same record (derive, then compare StoredKey).
 *
 * @param hash the hash function
 * @param salt the salt, random per account and hash
 * @param iterations the PBKDF2 iteration count
 * @param storedKey {@code H(ClientKey)}
 * @param serverKey {@code HMAC(SaltedPassword, "Server Key")}
 */
public record ScramCredential(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** Default iteration count; RFC 7677 §4 asks for at least 4096. */
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramCredential {
        Objects.requireNonNull(hash, "hash");
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /**
     * Derives a credential from a password that has already been prepared (SASLprep /
     * PRECIS OpaqueString), with a fresh random salt.
     */
    public static ScramCredential create(ScramHash hash, String preparedPassword, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return derive(hash, preparedPassword, salt, iterations);
    }

    /** Derives a credential for the given password, salt and iteration count (RFC 5802 §3). */
    public static ScramCredential derive(ScramHash hash, String preparedPassword, byte[] salt, int iterations) {
        byte[] saltedPassword = saltedPassword(hash, preparedPassword, salt, iterations);
        byte[] clientKey = hmac(hash, saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = digest(hash, clientKey);
        byte[] serverKey = hmac(hash, saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(hash, salt, iterations, storedKey, serverKey);
    }

    /** True if the (prepared) password matches this credential; constant-time comparison. */
    public boolean matches(String preparedPassword) {
        ScramCredential other = derive(hash, preparedPassword, salt, iterations);
        return MessageDigest.isEqual(storedKey, other.storedKey);
    }

    /** {@code Hi(password, salt, i)}: PBKDF2 with the mechanism's HMAC (RFC 5802 §2.2). */
    public static byte[] saltedPassword(ScramHash hash, String preparedPassword, byte[] salt, int iterations) {
        byte[] password = preparedPassword.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance(hash.hmacAlgorithm());
            // JCA refuses an empty HMAC key; a single zero byte is the same key, because HMAC
            // pads keys with zeros to the block size (RFC 2104 §2).
            byte[] key = password.length == 0 ? new byte[] {0} : password;
            mac.init(new SecretKeySpec(key, hash.hmacAlgorithm()));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA lacks " + hash.hmacAlgorithm(), e);
        }
    }

    /** {@code HMAC(key, data)} with the mechanism's hash. */
    public static byte[] hmac(ScramHash hash, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hash.hmacAlgorithm());
            mac.init(new SecretKeySpec(key, hash.hmacAlgorithm()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA lacks " + hash.hmacAlgorithm(), e);
        }
    }

    /** {@code H(data)} with the mechanism's hash. */
    public static byte[] digest(ScramHash hash, byte[] data) {
        try {
            return MessageDigest.getInstance(hash.digestAlgorithm()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA lacks " + hash.digestAlgorithm(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential c && c.hash == hash && c.iterations == iterations
                && Arrays.equals(c.salt, salt) && Arrays.equals(c.storedKey, storedKey)
                && Arrays.equals(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hash, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey));
    }

    @Override
    public String toString() {
        return "ScramCredential[" + hash + ", i=" + iterations + "]";
    }
}
