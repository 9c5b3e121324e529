package im.parley.core.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The client side of SCRAM (RFC 5802 §3, §5), written from the RFC to drive the server in tests. */
public final class ScramTestClient {

    private final ScramHash hash;
    private final String gs2Header;
    private final String clientFirstBare;
    private byte[] expectedServerSignature;

    /**
     * @param gs2Header e.g. {@code n,,} or {@code p=tls-exporter,a=user@example.org,}
     * @param saslname the username, already escaped as a saslname
     */
    public ScramTestClient(ScramHash hash, String gs2Header, String saslname, String clientNonce) {
        this.hash = hash;
        this.gs2Header = gs2Header;
        this.clientFirstBare = "n=" + saslname + ",r=" + clientNonce;
    }

    public byte[] clientFirst() {
        return utf8(gs2Header + clientFirstBare);
    }

    /** The final message for this server-first, binding {@code cbData} (empty unless {@code p=}). */
    public byte[] clientFinal(byte[] serverFirstBytes, String password, byte[] cbData) {
        byte[] header = utf8(gs2Header);
        byte[] cbInput = new byte[header.length + cbData.length];
        System.arraycopy(header, 0, cbInput, 0, header.length);
        System.arraycopy(cbData, 0, cbInput, header.length, cbData.length);
        return clientFinal(serverFirstBytes, password, Base64.getEncoder().encodeToString(cbInput));
    }

    /** The final message with the given {@code c=} value, to test mismatches. */
    public byte[] clientFinal(byte[] serverFirstBytes, String password, String channelBinding) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String[] attributes = serverFirst.split(",");
        String nonce = attributes[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(attributes[1].substring(2));
        int iterations = Integer.parseInt(attributes[2].substring(2));
        String withoutProof = "c=" + channelBinding + ",r=" + nonce;
        byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);

        byte[] saltedPassword = ScramCredential.saltedPassword(hash, password, salt, iterations);
        byte[] clientKey = ScramCredential.hmac(hash, saltedPassword, utf8("Client Key"));
        byte[] storedKey = ScramCredential.digest(hash, clientKey);
        byte[] clientSignature = ScramCredential.hmac(hash, storedKey, authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= clientSignature[i];
        }
        byte[] serverKey = ScramCredential.hmac(hash, saltedPassword, utf8("Server Key"));
        expectedServerSignature = ScramCredential.hmac(hash, serverKey, authMessage);
        return utf8(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** The server-final message the server must send if it knows the password (RFC 5802 §3). */
    public String expectedServerFinal() {
        return "v=" + Base64.getEncoder().encodeToString(expectedServerSignature);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
