package im.parley.s2s.dialback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dialback keys as XEP-0185 §3 recommends: {@code HMAC-SHA256(SHA256(secret), receiving + ' '
 * + originating + ' ' + streamId)} in lower-case hex. Only this server knows the secret, so only
 * it can answer a {@code db:verify} for keys it handed out (XEP-0220 §2.1.2, §2.4).
 */
public final class DialbackKeys {

    private final SecretKeySpec hmacKey;

    public DialbackKeys(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("a dialback secret needs at least 128 bits");
        }
        try {
            byte[] hashed = MessageDigest.getInstance("SHA-256").digest(secret);
            this.hmacKey = new SecretKeySpec(hashed, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always ships SHA-256", e);
        }
    }

    /** The key the originating server sends in {@code db:result} (XEP-0185 §3). */
    public String key(String receivingDomain, String originatingDomain, String streamId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            byte[] digest = mac.doFinal((receivingDomain + " " + originatingDomain + " " + streamId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always ships HmacSHA256", e);
        }
    }

    /** Compares in constant time, so answers to {@code db:verify} leak nothing about the key. */
    public boolean matches(String receivingDomain, String originatingDomain, String streamId, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = key(receivingDomain, originatingDomain, streamId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
