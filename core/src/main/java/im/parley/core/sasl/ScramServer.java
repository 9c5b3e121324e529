package im.parley.core.sasl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/** One server-side SCRAM exchange (RFC 5802 §5): client-first, server-first, client-final, server-final. */
final class ScramServer implements SaslServer {

    private enum State { AWAIT_CLIENT_FIRST, AWAIT_CLIENT_FINAL, COMPLETE }

    private final ScramHash hash;
    private final boolean plus;
    private final SaslContext ctx;
    private final String serverNonce;

    private State state = State.AWAIT_CLIENT_FIRST;
    private boolean emptyChallengeSent;
    private ScramClientFirstMessage clientFirst;
    private byte[] channelBindingData;
    private String username;
    private ScramCredential credential;
    private boolean knownUser;
    private boolean disabled;
    private String combinedNonce;
    private String serverFirst;

    ScramServer(ScramHash hash, boolean plus, SaslContext ctx, String serverNonce) {
        if (!SaslMessages.isPrintable(serverNonce)) {
            throw new IllegalStateException("server nonce must be printable (RFC 5802 §7)");
        }
        this.hash = hash;
        this.plus = plus;
        this.ctx = ctx;
        this.serverNonce = serverNonce;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        if (state == State.COMPLETE) {
            return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "the exchange is complete");
        }
        try {
            if (state == State.AWAIT_CLIENT_FIRST) {
                if (response.length == 0 && !emptyChallengeSent) {
                    // RFC 4422 §5 / RFC 6120 §6.4.2: SCRAM is client-first; without an initial
                    // response the server sends an empty challenge and waits for it.
                    emptyChallengeSent = true;
                    return new SaslStep.Challenge(new byte[0]);
                }
                return onClientFirst(SaslMessages.utf8(response));
            }
            return onClientFinal(SaslMessages.utf8(response));
        } catch (SaslFailureException e) {
            state = State.COMPLETE;
            return e.toStep();
        }
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    private SaslStep onClientFirst(String message) throws SaslFailureException {
        clientFirst = ScramClientFirstMessage.parse(message);
        channelBindingData = checkChannelBindingFlag(clientFirst);
        username = SaslIdentities.prepareUsername(clientFirst.username());
        Optional<AccountCredential> stored = lookUp(username);
        knownUser = stored.isPresent() && stored.get().credential().hash() == hash;
        credential = knownUser ? stored.get().credential() : DecoyCredentials.forUnknown(hash, ctx.domain(), username);
        disabled = knownUser && stored.get().disabled();
        combinedNonce = clientFirst.clientNonce() + serverNonce;
        serverFirst = "r=" + combinedNonce
                + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.AWAIT_CLIENT_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 5802 §6: a -PLUS exchange needs {@code p=} with a type this connection provides; a
     * plain exchange must not use {@code p=}, and {@code y} while we offer -PLUS means someone
     * stripped -PLUS from our mechanism list (downgrade attack).
     *
     * @return the channel binding data for {@code c=}, empty for {@code n} and {@code y}
     */
    private byte[] checkChannelBindingFlag(ScramClientFirstMessage first) throws SaslFailureException {
        switch (first.flag()) {
            case REQUIRED -> {
                if (!plus) {
                    throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST,
                            "channel binding requires the -PLUS mechanism");
                }
                String type = first.channelBindingType();
                Optional<byte[]> data = ChannelBindingTypes.isImplemented(type)
                        ? ctx.channelBinding().data(type) : Optional.empty();
                return data.orElseThrow(() -> new SaslFailureException(SaslFailure.NOT_AUTHORIZED,
                        "unsupported-channel-binding-type"));
            }
            case CLIENT_ONLY -> {
                if (plus) {
                    throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "-PLUS requires channel binding");
                }
                if (ChannelBindingTypes.offered(ctx)) {
                    throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, "server-does-support-channel-binding");
                }
                return new byte[0];
            }
            default -> {
                if (plus) {
                    throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "-PLUS requires channel binding");
                }
                return new byte[0];
            }
        }
    }

    private Optional<AccountCredential> lookUp(String user) throws SaslFailureException {
        try {
            return ctx.credentials().findForLogin(ctx.domain(), user, hash);
        } catch (RuntimeException e) {
            throw new SaslFailureException(SaslFailure.TEMPORARY_AUTH_FAILURE, null);
        }
    }

    private SaslStep onClientFinal(String message) throws SaslFailureException {
        ScramClientFinalMessage clientFinal = ScramClientFinalMessage.parse(message);
        if (!clientFinal.nonce().equals(combinedNonce)) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, "nonce mismatch");
        }
        if (!MessageDigest.isEqual(clientFinal.channelBinding(), expectedChannelBinding())) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, "channel-bindings-dont-match");
        }
        byte[] proof = clientFinal.proof();
        if (proof.length != hash.outputLength()) {
            throw new SaslFailureException(SaslFailure.MALFORMED_REQUEST, "ClientProof has the wrong length");
        }
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + clientFinal.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); StoredKey = H(ClientKey).
        byte[] storedKey = credential.storedKey();
        byte[] clientKey = ScramCredential.hmac(hash, storedKey, authMessage);
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        boolean proofMatches = MessageDigest.isEqual(ScramCredential.digest(hash, clientKey), storedKey);
        if (!(proofMatches && knownUser)) {
            throw new SaslFailureException(SaslFailure.NOT_AUTHORIZED, null);
        }
        if (disabled) {
            // RFC 6120 §6.5.1, only now that the password is proven: it tells nothing to others.
            throw new SaslFailureException(SaslFailure.ACCOUNT_DISABLED, "the account is disabled");
        }
        if (!SaslIdentities.authorizes(clientFirst.authzid(), username, ctx.domain())) {
            throw new SaslFailureException(SaslFailure.INVALID_AUTHZID, null);
        }
        byte[] serverSignature = ScramCredential.hmac(hash, credential.serverKey(), authMessage);
        state = State.COMPLETE;
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new SaslStep.Success(serverFinal.getBytes(StandardCharsets.UTF_8), username);
    }

    /** RFC 5802 §7: {@code c=} is base64(gs2-header [cbind-data]); cbind-data only with {@code p=}. */
    private byte[] expectedChannelBinding() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(channelBindingData);
        return expected.toByteArray();
    }
}
