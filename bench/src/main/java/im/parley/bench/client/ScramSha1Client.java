package im.parley.bench.client;

import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of one SCRAM-SHA-1 exchange without channel binding (RFC 5802 §3, §5).
 *
 * <p>The salted password is cached per (password, salt, iterations), as real clients cache it
 * (RFC 5802 §5.1 lets them): thousands of simulated users sharing one password and salt then
 * cost the generator one PBKDF2, not one per login, so the generator measures the server.
 */
final class ScramSha1Client {
    private static final ScramHash HASH = ScramHash.SHA_1;
    private static final Map<String, byte[]> SALTED = new ConcurrentHashMap<>();

    private final String password;
    private final String clientFirstBare;
    private final String clientNonce;
    private byte[] expectedServerSignature;

    ScramSha1Client(String username, String password) {
        this.password = password;
        this.clientNonce = nonce();
        this.clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
    }

    /** The client-first-message, gs2 header "n,," (no channel binding, §7). */
    String clientFirst() {
        return "n,," + clientFirstBare;
    }

    /** The client-final-message answering the server-first-message (§3). */
    String clientFinal(String serverFirst) {
        Map<Character, String> attributes = attributes(serverFirst);
        String nonce = attributes.get('r');
        if (nonce == null || !nonce.startsWith(clientNonce)) {
            throw new IllegalStateException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
        int iterations = Integer.parseInt(attributes.get('i'));
        byte[] saltedPassword = SALTED.computeIfAbsent(
                password + '\0' + attributes.get('s') + '\0' + iterations,
                key -> ScramCredential.saltedPassword(HASH, password, salt, iterations));
        byte[] clientKey = ScramCredential.hmac(HASH, saltedPassword, ascii("Client Key"));
        byte[] storedKey = ScramCredential.digest(HASH, clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = ascii(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] signature = ScramCredential.hmac(HASH, storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        byte[] serverKey = ScramCredential.hmac(HASH, saltedPassword, ascii("Server Key"));
        expectedServerSignature = ScramCredential.hmac(HASH, serverKey, authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** True if the server-final-message proves the server knew the credential (§3, "v="). */
    boolean verifyServerFinal(String serverFinal) {
        String verifier = attributes(serverFinal).get('v');
        return verifier != null && expectedServerSignature != null
                && MessageDigest.isEqual(expectedServerSignature, Base64.getDecoder().decode(verifier));
    }

    private static Map<Character, String> attributes(String message) {
        Map<Character, String> attributes = new java.util.HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.put(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    /** {@code saslname} escaping of ',' and '=' (§5.1). */
    private static String saslName(String username) {
        return username.replace("=", "=3D").replace(",", "=2C");
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
