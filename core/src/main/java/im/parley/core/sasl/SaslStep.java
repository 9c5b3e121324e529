package im.parley.core.sasl;

import java.util.Objects;

/**
 * The result of one step of a server-side SASL exchange (RFC 6120 §6.4): the caller turns it into
 * {@code <challenge/>}, {@code <success/>} or {@code <failure/>}.
 */
public sealed interface SaslStep {

    /** RFC 6120 §6.4.3: more data for the client; {@code data} may be empty. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * RFC 6120 §6.4.6 / §6.3.10: authentication succeeded.
     *
     * @param additionalData additional data with success (e.g. SCRAM's {@code v=}), or {@code null}
     * @param username the authenticated, prepared localpart (RFC 8265 UsernameCaseMapped)
     */
    record Success(byte[] additionalData, String username) implements SaslStep {
        public Success {
            Objects.requireNonNull(username, "username");
        }
    }

    /**
     * RFC 6120 §6.4.5: authentication failed.
     *
     * @param failure the condition
     * @param text optional human-readable text for the {@code <text/>} child, or {@code null}
     */
    record Failure(SaslFailure failure, String text) implements SaslStep {
        public Failure {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
