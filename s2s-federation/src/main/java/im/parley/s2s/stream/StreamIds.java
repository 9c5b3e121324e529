package im.parley.s2s.stream;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Stream ids (RFC 6120 §4.7.3): unique and unpredictable, because dialback keys are bound to
 * them (XEP-0185 §3) and a guessable id would let an attacker precompute a key.
 */
public final class StreamIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
