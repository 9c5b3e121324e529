package im.parley.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * SASL data as it travels in XML: base64, with {@code =} standing for an empty payload
 * (RFC 6120 §6.4.2).
 */
final class SaslPayload {

    private SaslPayload() {
    }

    static String encode(String text) {
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return encoded.isEmpty() ? "=" : encoded;
    }

    static String decode(String text) {
        if (text.isEmpty() || "=".equals(text)) {
            return "";
        }
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
