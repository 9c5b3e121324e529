package im.parley.core.sasl;

import static im.parley.core.sasl.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainMechanismTest {

    private static final String DOMAIN = "example.org";

    private final InMemoryCredentials credentials = new InMemoryCredentials()
            .add(DOMAIN, "juliet", ScramCredential.create(ScramHash.SHA_1, "r0m3o", 64))
            .add(DOMAIN, "romeo", ScramCredential.create(ScramHash.SHA_256, "Ju\u00DFiet", 64));
    private final SaslContext tls = new SaslContext(DOMAIN, true, credentials, ChannelBindingSource.NONE);

    private SaslStep authenticate(String message) {
        return new PlainMechanism().start(tls).evaluate(utf8(message));
    }

    private static void assertFailure(SaslStep step, SaslFailure failure) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.failure()).isEqualTo(failure));
    }

    @Test
    void correctPasswordSucceeds() {
        // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd.
        SaslStep result = authenticate("\0juliet\0r0m3o");

        assertThat(result).isInstanceOfSatisfying(SaslStep.Success.class, s -> {
            assertThat(s.username()).isEqualTo("juliet");
            assertThat(s.additionalData()).isNull();
        });
    }

    @Test
    void authcidIsCaseMappedAndAnyStoredHashVerifies() {
        // RFC 8265 §3.3 UsernameCaseMapped; romeo has only a SCRAM-SHA-256 credential.
        assertThat(authenticate("\0ROMEO\0Ju\u00DFiet")).isInstanceOfSatisfying(SaslStep.Success.class,
                s -> assertThat(s.username()).isEqualTo("romeo"));
    }

    @Test
    void passwordIsPreparedWithOpaqueString() {
        // RFC 8265 §4.2: OpaqueString maps non-ASCII spaces to U+0020 and applies NFC.
        credentials.add(DOMAIN, "nurse", ScramCredential.create(ScramHash.SHA_1, "caf\u00E9 au lait", 64));

        assertThat(authenticate("\0nurse\0cafe\u0301\u00A0au lait")).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        assertFailure(authenticate("\0juliet\0wrong"), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void aDisabledAccountFailsWithAccountDisabledOnlyOnceItsPasswordIsProven() {
        // RFC 6120 §6.5.1 <account-disabled/>; a wrong password still tells nothing more.
        credentials.disable(DOMAIN, "juliet");

        assertFailure(authenticate("\0juliet\0r0m3o"), SaslFailure.ACCOUNT_DISABLED);
        assertFailure(authenticate("\0juliet\0wrong"), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void unknownUserIsNotAuthorized() {
        assertFailure(authenticate("\0tybalt\0r0m3o"), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void ownAuthzidIsAccepted() {
        assertThat(authenticate("juliet@example.org\0juliet\0r0m3o")).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void otherAuthzidIsInvalid() {
        assertFailure(authenticate("romeo@example.org\0juliet\0r0m3o"), SaslFailure.INVALID_AUTHZID);
    }

    @Test
    void otherAuthzidWithWrongPasswordRevealsNothing() {
        assertFailure(authenticate("romeo@example.org\0juliet\0wrong"), SaslFailure.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet\0r0m3o", "\0\0r0m3o", "\0juliet\0", "\0juliet\0r0m3o\0", "juliet"})
    void malformedMessages(String message) {
        assertFailure(authenticate(message), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void oversizedFieldsAreMalformed() {
        assertFailure(authenticate("\0" + "j".repeat(1024) + "\0r0m3o"), SaslFailure.MALFORMED_REQUEST);
        assertFailure(authenticate("\0juliet\0" + "p".repeat(1025)), SaslFailure.MALFORMED_REQUEST);
        assertFailure(authenticate("a".repeat(3072) + "\0juliet\0r0m3o"), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void invalidUtf8IsMalformed() {
        assertFailure(new PlainMechanism().start(tls).evaluate(new byte[] {0, 'j', 0, (byte) 0xFF}), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void emptyInitialResponseGetsAnEmptyChallenge() {
        SaslServer server = new PlainMechanism().start(tls);

        assertThat(server.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Challenge.class,
                c -> assertThat(c.data()).isEmpty());
        assertThat(server.isComplete()).isFalse();
        assertThat(server.evaluate(utf8("\0juliet\0r0m3o"))).isInstanceOf(SaslStep.Success.class);
        assertThat(server.isComplete()).isTrue();
        assertFailure(server.evaluate(utf8("\0juliet\0r0m3o")), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void withoutTlsPlainIsUnavailableAndRefused() {
        // RFC 6120 §6.5.4 encryption-required.
        SaslContext tcp = new SaslContext(DOMAIN, false, credentials, ChannelBindingSource.NONE);

        assertThat(new PlainMechanism().isAvailable(tcp)).isFalse();
        assertThat(new PlainMechanism().isAvailable(tls)).isTrue();
        assertFailure(new PlainMechanism().start(tcp).evaluate(utf8("\0juliet\0r0m3o")), SaslFailure.ENCRYPTION_REQUIRED);
    }

    @Test
    void storageFailureIsTemporary() {
        CredentialRepository broken = (domain, username, hash) -> {
            throw new IllegalStateException("database down");
        };
        SaslContext ctx = new SaslContext(DOMAIN, true, broken, ChannelBindingSource.NONE);

        assertFailure(new PlainMechanism().start(ctx).evaluate(utf8("\0juliet\0r0m3o")), SaslFailure.TEMPORARY_AUTH_FAILURE);
    }
}
