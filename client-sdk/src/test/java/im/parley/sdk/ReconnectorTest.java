package im.parley.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.sasl.packet.SaslNonza.SASLFailure;
import org.junit.jupiter.api.Test;

/** Which SASL failures end reconnection for good. */
class ReconnectorTest {

    // RFC 6120 §6.5.11: "it is advisable for the initiating entity to try again later".
    @Test
    void aTemporaryAuthenticationFailureIsRetried() {
        assertThat(Reconnector.isTemporary(failure("temporary-auth-failure"))).isTrue();
    }

    // RFC 6120 §6.5.10, §6.5.2: wrong credentials or a disabled account do not get better by retrying.
    @Test
    void refusedCredentialsAreFinal() {
        assertThat(Reconnector.isTemporary(failure("not-authorized"))).isFalse();
        assertThat(Reconnector.isTemporary(failure("account-disabled"))).isFalse();
    }

    private static SASLErrorException failure(String condition) {
        return new SASLErrorException("SCRAM-SHA-1", new SASLFailure(condition));
    }
}
