package im.parley.core.sasl;

import java.util.regex.Pattern;

/**
 * A parsed SCRAM {@code client-final-message} (RFC 5802 §7):
 * {@code channel-binding "," nonce ["," extensions] "," proof}.
 *
 * @param channelBinding the decoded {@code c=} value
 * @param nonce the {@code r=} value, which must echo the combined nonce
 * @param proof the decoded {@code ClientProof}
 * @param withoutProof {@code client-final-message-without-proof}, as received (it goes into AuthMessage)
 */
record ScramClientFinalMessage(byte[] channelBinding, String nonce, byte[] proof, String withoutProof) {

    private static final Pattern ATTR_VAL = Pattern.compile("[A-Za-z]=[^,]*");

    static ScramClientFinalMessage parse(String message) throws SaslFailureException {
        String[] attributes = message.split(",", -1);
        if (attributes.length < 3 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")
                || !attributes[attributes.length - 1].startsWith("p=")) {
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "expected c=, r= and p= attributes");
        }
        for (int i = 2; i < attributes.length - 1; i++) {
            if (attributes[i].startsWith("m=") || !ATTR_VAL.matcher(attributes[i]).matches()) {
                throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "invalid extension attribute");
            }
        }
        String proofAttribute = attributes[attributes.length - 1];
        String withoutProof = message.substring(0, message.length() - proofAttribute.length() - 1);
        return new ScramClientFinalMessage(
                SaslMessages.base64(attributes[0].substring(2), "c"),
                attributes[1].substring(2),
                SaslMessages.base64(proofAttribute.substring(2), "p"),
                withoutProof);
    }
}
