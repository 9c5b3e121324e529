package im.parley.core.sasl;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Plausible credentials for accounts that do not exist, so that an unknown username is not
 * revealed before the proof (RFC 5802 §9 on user enumeration): the salt is derived from the
 * username and a per-process secret, so repeated attempts see the same salt, as for a real
 * account; the keys are random, so no proof can ever match them.
 */
final class DecoyCredentials {

    /** Same length as {@link ScramCredential#create} salts. */
    private static final int SALT_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SECRET = randomBytes(32);

    private DecoyCredentials() {
    }

    static ScramCredential forUnknown(ScramHash hash, String domain, String username) {
        byte[] input = (hash.mechanismName() + '\0' + domain + '\0' + username).getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(ScramCredential.hmac(ScramHash.SHA_256, SECRET, input), SALT_LENGTH);
        return new ScramCredential(hash, salt, ScramCredential.DEFAULT_ITERATIONS,
                randomBytes(hash.outputLength()), randomBytes(hash.outputLength()));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
