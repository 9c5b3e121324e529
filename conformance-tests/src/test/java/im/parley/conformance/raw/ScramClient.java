package im.parley.conformance.raw;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802 §3, §5, §7) for SHA-1, SHA-256 (RFC 7677) and SHA-512
 * (draft-melnikov-scram-sha-512), with or without channel binding (the -PLUS variants).
 * Written from the RFC for these tests, independent of the server's implementation, because
 * Smack 4.4 only ships SCRAM-SHA-1(-PLUS). The test passwords are ASCII, for which SASLprep /
 * OpaqueString preparation is the identity.
 */
public final class ScramClient {

    /** The hash functions of the SCRAM family, named as in their mechanism names. */
    public enum Hash {
        SHA_1("SHA-1", "HmacSHA1"),
        SHA_256("SHA-256", "HmacSHA256"),
        SHA_512("SHA-512", "HmacSHA512");

        final String digest;
        final String hmac;

        Hash(String digest, String hmac) {
            this.digest = digest;
            this.hmac = hmac;
        }

        public String mechanism() {
            return "SCRAM-" + digest;
        }
    }

    /** A channel binding (RFC 5056): its IANA type name and the data of this TLS connection. */
    public record ChannelBinding(String type, byte[] data) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Hash hash;
    private final String username;
    private final String password;
    private final ChannelBinding binding;
    private final String gs2Header;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    /**
     * @param binding the channel binding to use (a -PLUS mechanism), or null for none
     * @param bindingOffered when {@code binding} is null: whether the server offered -PLUS;
     *     RFC 5802 §6 has the client say {@code y} then, so the server can detect a downgrade
     */
    public ScramClient(Hash hash, String username, String password, ChannelBinding binding, boolean bindingOffered) {
        this.hash = hash;
        this.username = username;
        this.password = password;
        this.binding = binding;
        this.gs2Header = binding != null ? "p=" + binding.type() + ",," : bindingOffered ? "y,," : "n,,";
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    public ScramClient(Hash hash, String username, String password) {
        this(hash, username, password, null, false);
    }

    public String mechanism() {
        return hash.mechanism() + (binding != null ? "-PLUS" : "");
    }

    /** client-first-message (RFC 5802 §7): gs2-header, then n=username,r=nonce. */
    public byte[] clientFirst() {
        clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
        return utf8(gs2Header + clientFirstBare);
    }

    /** client-final-message for the server-first-message (RFC 5802 §3 and §7). */
    public byte[] clientFinal(byte[] serverFirstBytes) throws GeneralSecurityException {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<Character, String> fields = fields(serverFirst);
        String nonce = fields.get('r');
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new GeneralSecurityException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(fields.get('s'));
        int iterations = Integer.parseInt(fields.get('i'));

        byte[] cbindInput = binding == null ? utf8(gs2Header) : concat(utf8(gs2Header), binding.data());
        String finalWithoutProof = "c=" + Base64.getEncoder().encodeToString(cbindInput) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + finalWithoutProof;

        byte[] saltedPassword = hi(utf8(password), salt, iterations);
        byte[] clientKey = hmac(saltedPassword, utf8("Client Key"));
        byte[] storedKey = MessageDigest.getInstance(hash.digest).digest(clientKey);
        byte[] clientSignature = hmac(storedKey, utf8(authMessage));
        byte[] proof = xor(clientKey, clientSignature);
        byte[] serverKey = hmac(saltedPassword, utf8("Server Key"));
        expectedServerSignature = hmac(serverKey, utf8(authMessage));
        return utf8(finalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /**
     * Checks the server-final-message (RFC 5802 §3: the client verifies ServerSignature, which
     * proves the server knew the password's ServerKey).
     */
    public void verifyServerFinal(byte[] serverFinalBytes) throws GeneralSecurityException {
        String serverFinal = new String(serverFinalBytes, StandardCharsets.UTF_8);
        Map<Character, String> fields = fields(serverFinal);
        if (fields.containsKey('e')) {
            throw new GeneralSecurityException("server-error-value: " + fields.get('e'));
        }
        byte[] signature = Base64.getDecoder().decode(fields.getOrDefault('v', ""));
        if (expectedServerSignature == null || !MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new GeneralSecurityException("wrong server signature: " + serverFinal);
        }
    }

    /** Hi() of RFC 5802 §2.2: PBKDF2 with HMAC as the pseudorandom function and dkLen = hash length. */
    private byte[] hi(byte[] secret, byte[] salt, int iterations) throws GeneralSecurityException {
        byte[] u = hmac(secret, concat(salt, new byte[] {0, 0, 0, 1}));
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(secret, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hash.hmac);
        mac.init(new SecretKeySpec(key, hash.hmac));
        return mac.doFinal(data);
    }

    /** RFC 5802 §5.1: ',' and '=' in a username are escaped as =2C and =3D. */
    private static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static Map<Character, String> fields(String message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                fields.put(part.charAt(0), part.substring(2));
            }
        }
        return fields;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
