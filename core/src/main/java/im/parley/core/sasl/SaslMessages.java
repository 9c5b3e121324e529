package im.parley.core.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decoding helpers shared by the mechanisms. */
final class SaslMessages {

    private SaslMessages() {
    }

    /** Strict UTF-8 (RFC 3629): SCRAM and PLAIN messages are UTF-8; a bad sequence is a malformed request. */
    static String utf8(byte[] message) throws SaslFailureException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "message is not valid UTF-8");
        }
    }

    /** Base64 inside a mechanism message (RFC 5802 §7 {@code base64}); bad encoding → incorrect-encoding (RFC 6120 §6.5.5). */
    static byte[] base64(String value, String attribute) throws SaslFailureException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new SaslFailureException(SaslFailure.INCORRECT_ENCODING, "attribute " + attribute + " is not valid base64");
        }
    }

    /** RFC 5802 §7 {@code printable}: %x21-2B / %x2D-7E, i.e. visible ASCII except ','. */
    static boolean isPrintable(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }
}
