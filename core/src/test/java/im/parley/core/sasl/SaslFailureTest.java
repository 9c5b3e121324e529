package im.parley.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SaslFailureTest {

    @Test
    void elementNamesAreThoseOfRfc6120Section6_5() {
        assertThat(Arrays.stream(SaslFailure.values()).map(SaslFailure::elementName)).containsExactly(
                "aborted", "account-disabled", "credentials-expired", "encryption-required",
                "incorrect-encoding", "invalid-authzid", "invalid-mechanism", "malformed-request",
                "mechanism-too-weak", "not-authorized", "temporary-auth-failure");
    }
}
