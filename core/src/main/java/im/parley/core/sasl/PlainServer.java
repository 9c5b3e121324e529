package im.parley.core.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One PLAIN exchange (RFC 4616 §2): {@code message = [authzid] NUL authcid NUL passwd}. */
final class PlainServer implements SaslServer {

    /** RFC 7622 §3.1: a localpart (the authcid) is at most 1023 octets, a JID (the authzid) at most 3071. */
    private static final int MAX_AUTHCID_OCTETS = SaslIdentities.MAX_USERNAME_OCTETS;
    private static final int MAX_AUTHZID_OCTETS = 3071;
    private static final int MAX_PASSWORD_OCTETS = 1024;
    /**
     * The hashes whose credential PLAIN verifies against, in order; SCRAM-SHA-1 first because
     * every account has one for the mechanism clients support most widely.
     */
    private static final ScramHash[] VERIFYING_HASHES = {ScramHash.SHA_1, ScramHash.SHA_256, ScramHash.SHA_512};

    private final SaslContext ctx;
    private boolean emptyChallengeSent;
    private boolean complete;

    PlainServer(SaslContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        if (complete) {
            return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "the exchange is complete");
        }
        if (response.length == 0 && !emptyChallengeSent) {
            // RFC 4616 §2 / RFC 6120 §6.4.2: without an initial response, an empty challenge asks for it.
            emptyChallengeSent = true;
            return new SaslStep.Challenge(new byte[0]);
        }
        complete = true;
        try {
            return authenticate(response);
        } catch (SaslFailureException e) {
            return e.toStep();
        }
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    private SaslStep authenticate(byte[] response) throws SaslFailureException {
        if (!ctx.tlsActive()) {
            throw new SaslFailureException(SaslFailure.ENCRYPTION_REQUIRED, null);
        }
        String[] fields = SaslMessages.utf8(response).split("\0", -1);
        if (fields.length != 3) {
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "expected authzid NUL authcid NUL passwd");
        }
        String authzid = fields[0].isEmpty() ? null : fields[0];
        String authcid = fields[1];
        String password = fields[2];
        if (authcid.isEmpty() || password.isEmpty()
                || octets(fields[0]) > MAX_AUTHZID_OCTETS || octets(authcid) > MAX_AUTHCID_OCTETS
                || octets(password) > MAX_PASSWORD_OCTETS) {
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "empty or oversized field");
        }
        String username = SaslIdentities.prepareUsername(authcid);
        String preparedPassword = SaslIdentities.preparePassword(password);
        Optional<AccountCredential> stored = lookUp(username);
        // Unknown users pay the same PBKDF2 as known ones, so timing does not reveal them.
        ScramCredential credential = stored.map(AccountCredential::credential).orElseGet(
                () -> DecoyCredentials.forUnknown(ScramHash.SHA_1, ctx.domain(), username));
        boolean matches = credential.matches(preparedPassword);
        if (!(matches && stored.isPresent())) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, null);
        }
        if (stored.get().disabled()) {
            // RFC 6120 §6.5.1, only now that the password is proven: it tells nothing to others.
            throw new SaslFailureException(SaslFailure.ACCOUNT_DISABLED, "the account is disabled");
        }
        if (!SaslIdentities.authorizes(authzid, username, ctx.domain())) {
            throw new SaslFailureException(SaslFailure.INVALID_AUTHZID, null);
        }
        return new SaslStep.Success(null, username);
    }

    private Optional<AccountCredential> lookUp(String username) throws SaslFailureException {
        try {
            for (ScramHash hash : VERIFYING_HASHES) {
                Optional<AccountCredential> credential = ctx.credentials().findForLogin(ctx.domain(), username, hash);
                if (credential.isPresent()) {
                    return credential;
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new SaslFailureException(SaslFailure.TEMPORARY_AUTH_FAILURE, null);
        }
    }

    private static int octets(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
