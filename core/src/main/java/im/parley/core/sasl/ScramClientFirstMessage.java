package im.parley.core.sasl;

import java.util.regex.Pattern;

/**
 * A parsed SCRAM {@code client-first-message} (RFC 5802 §7):
 * {@code gs2-header client-first-message-bare}, where
 * {@code gs2-header = gs2-cbind-flag "," [ authzid ] ","} and
 * {@code client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]}.
 *
 * @param gs2Header the header exactly as received, with its trailing comma (it goes into {@code c=})
 * @param flag the channel binding flag
 * @param channelBindingType the {@code cb-name} for flag {@code p}, else {@code null}
 * @param authzid the decoded authzid, or {@code null} when absent
 * @param username the decoded, not yet prepared username
 * @param clientNonce the client's nonce
 * @param bare the {@code client-first-message-bare}, as received (it goes into AuthMessage)
 */
record ScramClientFirstMessage(String gs2Header, Flag flag, String channelBindingType, String authzid,
                               String username, String clientNonce, String bare) {

    /** RFC 5802 §7 {@code gs2-cbind-flag}. */
    enum Flag {
        /** {@code n}: the client does not support channel binding. */
        NONE,
        /** {@code y}: the client supports channel binding but thinks the server does not. */
        CLIENT_ONLY,
        /** {@code p=cb-name}: the client requires channel binding of the named type. */
        REQUIRED
    }

    /** RFC 5802 §7 {@code cb-name = 1*(ALPHA / DIGIT / "." / "-")}. */
    private static final Pattern CB_NAME = Pattern.compile("[A-Za-z0-9.-]+");
    /** RFC 5802 §7 {@code attr-val = ALPHA "=" value}. */
    private static final Pattern ATTR_VAL = Pattern.compile("[A-Za-z]=[^,]*");

    static ScramClientFirstMessage parse(String message) throws SaslFailureException {
        int flagEnd = message.indexOf(',');
        int authzidEnd = flagEnd < 0 ? -1 : message.indexOf(',', flagEnd + 1);
        if (authzidEnd < 0) {
            throw malformed("missing gs2 header");
        }
        String flagText = message.substring(0, flagEnd);
        Flag flag;
        String cbName = null;
        if (flagText.equals("n")) {
            flag = Flag.NONE;
        } else if (flagText.equals("y")) {
            flag = Flag.CLIENT_ONLY;
        } else if (flagText.startsWith("p=") && CB_NAME.matcher(flagText.substring(2)).matches()) {
            flag = Flag.REQUIRED;
            cbName = flagText.substring(2);
        } else {
            throw malformed("invalid gs2-cbind-flag");
        }
        String authzidText = message.substring(flagEnd + 1, authzidEnd);
        String authzid = null;
        if (!authzidText.isEmpty()) {
            if (!authzidText.startsWith("a=")) {
                throw malformed("invalid authzid");
            }
            authzid = decodeSaslname(authzidText.substring(2));
        }
        String bare = message.substring(authzidEnd + 1);
        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            // RFC 5802 §5.1: "m" is reserved; its presence MUST cause authentication failure.
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "extensions-not-supported");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw malformed("expected n= and r= attributes");
        }
        String username = decodeSaslname(attributes[0].substring(2));
        String nonce = attributes[1].substring(2);
        if (!SaslMessages.isPrintable(nonce)) {
            throw malformed("the client nonce must be printable");
        }
        for (int i = 2; i < attributes.length; i++) {
            // Unknown optional extensions are ignored (RFC 5802 §5), but must be well-formed.
            if (!ATTR_VAL.matcher(attributes[i]).matches()) {
                throw malformed("invalid extension attribute");
            }
        }
        return new ScramClientFirstMessage(message.substring(0, authzidEnd + 1), flag, cbName, authzid,
                username, nonce, bare);
    }

    /**
     * Decodes a {@code saslname} (RFC 5802 §5.1): {@code ,} and {@code =} travel as {@code =2C}
     * and {@code =3D}; any other {@code =} sequence is invalid.
     */
    static String decodeSaslname(String saslname) throws SaslFailureException {
        if (saslname.isEmpty()) {
            throw malformed("empty saslname");
        }
        StringBuilder decoded = new StringBuilder(saslname.length());
        for (int i = 0; i < saslname.length(); i++) {
            char c = saslname.charAt(i);
            if (c == '=') {
                String escape = saslname.startsWith("=2C", i) ? "," : saslname.startsWith("=3D", i) ? "=" : null;
                if (escape == null) {
                    throw malformed("invalid '=' escape in saslname");
                }
                decoded.append(escape);
                i += 2;
            } else if (c == '\0') {
                throw malformed("NUL in saslname");
            } else {
                decoded.append(c);
            }
        }
        return decoded.toString();
    }

    private static SaslFailureException malformed(String text) {
        return new SaslFailureException(SaslFailure.MALFORMED_REQUEST, text);
    }
}
