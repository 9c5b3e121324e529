package im.parley.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The component handshake of XEP-0114 §3: the component proves it knows the shared secret by
 * sending the lower-case hex SHA-1 of the stream id (from the server's header) followed by the
 * secret.
 */
public final class ComponentHandshake {

    /** XEP-0114 §3: the content namespace of a component stream to the server. */
    public static final String NAMESPACE = "jabber:component:accept";

    private ComponentHandshake() {
    }

    public static String digest(String streamId, String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
