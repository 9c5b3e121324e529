package im.parley.core.sasl;

/**
 * One server-side SASL exchange (RFC 4422 §3). Not thread-safe: the caller feeds responses in
 * order. {@link #evaluate} may block (credential lookup, PBKDF2), so the caller runs it off the
 * event loop.
 */
public interface SaslServer {

    /**
     * Evaluates the next client response. The first call receives the initial response, which is
     * an empty array when the client sent {@code =} or no initial response at all (RFC 6120
     * §6.4.2). A response after the exchange completed yields {@link SaslFailure#MALFORMED_REQUEST}.
     */
    SaslStep evaluate(byte[] response);

    /** True once the exchange produced a {@link SaslStep.Success} or {@link SaslStep.Failure}. */
    boolean isComplete();
}
