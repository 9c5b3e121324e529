package im.parley.core.sasl;

import static im.parley.core.sasl.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramMechanismTest {

    private static final String DOMAIN = "example.org";
    private static final int FAST_ITERATIONS = 64;
    private static final byte[] EXPORTER = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] END_POINT = {9, 8, 7, 6, 5};

    private final InMemoryCredentials credentials = new InMemoryCredentials()
            .addPassword(DOMAIN, "juliet", "r0m3o", FAST_ITERATIONS);

    private SaslContext plainTcp() {
        return new SaslContext(DOMAIN, false, credentials, ChannelBindingSource.NONE);
    }

    private SaslContext tlsWith(Map<String, byte[]> channelBinding) {
        return new SaslContext(DOMAIN, true, credentials, new FakeChannelBinding(channelBinding));
    }

    private SaslContext tlsWithBinding() {
        return tlsWith(Map.of("tls-exporter", EXPORTER, "tls-server-end-point", END_POINT));
    }

    private static ScramMechanism scram(ScramHash hash, boolean plus, String serverNonce) {
        return new ScramMechanism(hash, plus, () -> serverNonce);
    }

    private static String text(SaslStep step) {
        byte[] data = step instanceof SaslStep.Challenge c ? c.data() : ((SaslStep.Success) step).additionalData();
        return new String(data, StandardCharsets.UTF_8);
    }

    private static void assertFailure(SaslStep step, SaslFailure failure) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.failure()).isEqualTo(failure));
    }

    /** Runs a complete exchange with the test client; returns the final step. */
    private SaslStep exchange(SaslMechanism mechanism, SaslContext ctx, ScramTestClient client, String password, byte[] cbData) {
        SaslServer server = mechanism.start(ctx);
        SaslStep first = server.evaluate(client.clientFirst());
        assertThat(first).isInstanceOf(SaslStep.Challenge.class);
        return server.evaluate(client.clientFinal(((SaslStep.Challenge) first).data(), password, cbData));
    }

    @Test
    void rfc5802TestVectorForScramSha1() {
        // RFC 5802 §5: user "user", password "pencil".
        credentials.add(DOMAIN, "user", ScramCredential.derive(ScramHash.SHA_1, "pencil",
                Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096));
        SaslServer server = scram(ScramHash.SHA_1, false, "3rfcNHYJY1ZVvWVs7j").start(plainTcp());

        SaslStep serverFirst = server.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertThat(text(serverFirst)).isEqualTo("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");

        SaslStep serverFinal = server.evaluate(utf8(
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        assertThat(serverFinal).isInstanceOf(SaslStep.Success.class);
        assertThat(text(serverFinal)).isEqualTo("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        assertThat(((SaslStep.Success) serverFinal).username()).isEqualTo("user");
        assertThat(server.isComplete()).isTrue();
    }

    @Test
    void rfc7677TestVectorForScramSha256() {
        // RFC 7677 §3: user "user", password "pencil".
        credentials.add(DOMAIN, "user", ScramCredential.derive(ScramHash.SHA_256, "pencil",
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
        SaslServer server = scram(ScramHash.SHA_256, false, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0").start(plainTcp());

        SaslStep serverFirst = server.evaluate(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(text(serverFirst)).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        SaslStep serverFinal = server.evaluate(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(text(serverFinal)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void scramSha512RoundTrip() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_512, "n,,", "juliet", "abcdefghijklmnop");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_512, false), plainTcp(), client, "r0m3o", new byte[0]);

        assertThat(result).isInstanceOf(SaslStep.Success.class);
        assertThat(text(result)).isEqualTo(client.expectedServerFinal());
        assertThat(((SaslStep.Success) result).username()).isEqualTo("juliet");
    }

    @Test
    void serverNonceIsFreshAndExtendsTheClientNonce() {
        ScramMechanism mechanism = new ScramMechanism(ScramHash.SHA_256, false);
        String first = text(mechanism.start(plainTcp()).evaluate(utf8("n,,n=juliet,r=clientnonce")));
        String second = text(mechanism.start(plainTcp()).evaluate(utf8("n,,n=juliet,r=clientnonce")));

        assertThat(first).startsWith("r=clientnonce").isNotEqualTo(second);
        assertThat(first.split(",")[0].length()).isGreaterThan("r=clientnonce".length() + 16);
    }

    @Test
    void usernameIsPreparedWithUsernameCaseMapped() {
        // RFC 7677 §4 / RFC 8265 §3.3: the username is case-mapped before the look-up.
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "JULIET", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_256, false), plainTcp(), client, "r0m3o", new byte[0]);

        assertThat(((SaslStep.Success) result).username()).isEqualTo("juliet");
    }

    @Test
    void usernameEscapesAreDecoded() {
        // RFC 5802 §5.1: ',' and '=' in a username travel as =2C and =3D; RFC 7622 allows both in localparts.
        credentials.addPassword(DOMAIN, "a,b=c", "pw", FAST_ITERATIONS);
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_1, "n,,", "a=2Cb=3Dc", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_1, false), plainTcp(), client, "pw", new byte[0]);

        assertThat(((SaslStep.Success) result).username()).isEqualTo("a,b=c");
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "nonce");
        SaslServer server = new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp());
        SaslStep challenge = server.evaluate(client.clientFirst());
        SaslStep result = server.evaluate(client.clientFinal(((SaslStep.Challenge) challenge).data(), "wrong", new byte[0]));

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
        assertThat(server.isComplete()).isTrue();
        assertFailure(server.evaluate(utf8("c=biws,r=x,p=AAAA")), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void aDisabledAccountFailsWithAccountDisabledOnlyOnceItsPasswordIsProven() {
        // RFC 6120 §6.5.1 <account-disabled/>; a wrong password still tells nothing more.
        credentials.disable(DOMAIN, "juliet");
        ScramMechanism mechanism = new ScramMechanism(ScramHash.SHA_256, false);

        assertFailure(exchange(mechanism, plainTcp(), new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "n1"),
                "r0m3o", new byte[0]), SaslFailure.ACCOUNT_DISABLED);
        assertFailure(exchange(mechanism, plainTcp(), new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "n2"),
                "wrong", new byte[0]), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void unknownUserIsIndistinguishableUntilTheProof() {
        // RFC 5802 §9: do not let the server-first message reveal whether an account exists.
        ScramMechanism mechanism = scram(ScramHash.SHA_256, false, "servernonce");
        String known = text(mechanism.start(plainTcp()).evaluate(utf8("n,,n=juliet,r=abc")));
        SaslServer server = mechanism.start(plainTcp());
        String unknown = text(server.evaluate(utf8("n,,n=nobody,r=abc")));
        String unknownAgain = text(mechanism.start(plainTcp()).evaluate(utf8("n,,n=nobody,r=abc")));

        assertThat(unknown).matches("r=abcservernonce,s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(known).matches("r=abcservernonce,s=[A-Za-z0-9+/]{22}==,i=" + FAST_ITERATIONS);
        assertThat(unknownAgain).as("the fake salt is stable, as a real one is").isEqualTo(unknown);
        String otherUnknown = text(mechanism.start(plainTcp()).evaluate(utf8("n,,n=somebody,r=abc")));
        assertThat(otherUnknown).isNotEqualTo(unknown);

        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "nobody", "abc");
        client.clientFirst();
        assertFailure(server.evaluate(client.clientFinal(utf8(unknown), "anything", new byte[0])), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void authzidOfTheUserItselfIsAccepted() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,a=juliet@example.org,", "juliet", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_256, false), plainTcp(), client, "r0m3o", new byte[0]);

        assertThat(result).isInstanceOf(SaslStep.Success.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo@example.org", "juliet@example.com", "juliet@example.org/balcony", "not a jid@"})
    void otherAuthzidIsInvalid(String authzid) {
        // RFC 6120 §6.5.6: the authenticated identity may not act as another one.
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,a=" + authzid + ",", "juliet", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_256, false), plainTcp(), client, "r0m3o", new byte[0]);

        assertFailure(result, SaslFailure.INVALID_AUTHZID);
    }

    @Test
    void downgradeIsRejectedWhenPlusIsOffered() {
        // RFC 5802 §6: "y" while the server supports channel binding means -PLUS was stripped.
        SaslStep result = new ScramMechanism(ScramHash.SHA_256, false).start(tlsWithBinding())
                .evaluate(utf8("y,,n=juliet,r=nonce"));

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
        assertThat(((SaslStep.Failure) result).text()).isEqualTo("server-does-support-channel-binding");
    }

    @Test
    void yFlagIsAcceptedWhenPlusIsNotOffered() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "y,,", "juliet", "nonce");
        SaslContext unsupportedBindingOnly = tlsWith(Map.of("tls-unique", END_POINT));

        assertThat(exchange(new ScramMechanism(ScramHash.SHA_256, false), plainTcp(), client, "r0m3o", new byte[0]))
                .isInstanceOf(SaslStep.Success.class);
        assertThat(exchange(new ScramMechanism(ScramHash.SHA_256, false), unsupportedBindingOnly, client, "r0m3o", new byte[0]))
                .isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void plusWithTlsExporter() {
        // RFC 9266 §3: SCRAM-PLUS with the "tls-exporter" channel binding.
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "p=tls-exporter,,", "juliet", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_256, true), tlsWithBinding(), client, "r0m3o", EXPORTER);

        assertThat(result).isInstanceOf(SaslStep.Success.class);
        assertThat(text(result)).isEqualTo(client.expectedServerFinal());
    }

    @Test
    void plusWithTlsServerEndPointAndAuthzid() {
        // RFC 5929 §4; the gs2 header with its authzid is part of the bound data (RFC 5802 §7).
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_512, "p=tls-server-end-point,a=juliet@example.org,",
                "juliet", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_512, true), tlsWithBinding(), client, "r0m3o", END_POINT);

        assertThat(result).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void plusWithOtherConnectionsBindingDataFails() {
        // RFC 5802 §6: binding data of another TLS connection (a man in the middle) must not verify.
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "p=tls-exporter,,", "juliet", "nonce");
        SaslStep result = exchange(new ScramMechanism(ScramHash.SHA_256, true), tlsWithBinding(), client, "r0m3o",
                new byte[] {1, 2, 3, 4, 5, 6, 7, 9});

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
        assertThat(((SaslStep.Failure) result).text()).isEqualTo("channel-bindings-dont-match");
    }

    @Test
    void plusWithGs2HeaderOnlyInChannelBindingFails() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "p=tls-exporter,,", "juliet", "nonce");
        SaslServer server = new ScramMechanism(ScramHash.SHA_256, true).start(tlsWithBinding());
        SaslStep challenge = server.evaluate(client.clientFirst());
        SaslStep result = server.evaluate(client.clientFinal(((SaslStep.Challenge) challenge).data(), "r0m3o",
                Base64.getEncoder().encodeToString(utf8("p=tls-exporter,,"))));

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void plainExchangeWithWrongGs2HeaderInChannelBindingFails() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "nonce");
        SaslServer server = new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp());
        SaslStep challenge = server.evaluate(client.clientFirst());
        SaslStep result = server.evaluate(client.clientFinal(((SaslStep.Challenge) challenge).data(), "r0m3o", "eSws"));

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n,,n=juliet,r=nonce", "y,,n=juliet,r=nonce"})
    void plusRequiresChannelBinding(String clientFirst) {
        assertFailure(new ScramMechanism(ScramHash.SHA_256, true).start(tlsWithBinding()).evaluate(utf8(clientFirst)),
                SaslFailure.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p=tls-unique,,n=juliet,r=nonce", "p=tls-server-end-point,,n=juliet,r=nonce"})
    void plusRejectsTypesTheConnectionDoesNotProvide(String clientFirst) {
        SaslContext exporterOnly = tlsWith(Map.of("tls-exporter", EXPORTER, "tls-unique", END_POINT));
        SaslStep result = new ScramMechanism(ScramHash.SHA_256, true).start(exporterOnly).evaluate(utf8(clientFirst));

        assertFailure(result, SaslFailure.NOT_AUTHORIZED);
        assertThat(((SaslStep.Failure) result).text()).isEqualTo("unsupported-channel-binding-type");
    }

    @Test
    void channelBindingFlagWithoutPlusIsRejected() {
        assertFailure(new ScramMechanism(ScramHash.SHA_256, false).start(tlsWithBinding())
                .evaluate(utf8("p=tls-exporter,,n=juliet,r=nonce")), SaslFailure.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "n=juliet,r=nonce",              // no gs2 header
        "x,,n=juliet,r=nonce",           // unknown flag
        "p=,,n=juliet,r=nonce",          // empty cb-name
        "n,b=x,n=juliet,r=nonce",        // authzid without a=
        "n,,r=nonce,n=juliet",           // attributes out of order
        "n,,n=juliet",                   // no nonce
        "n,,n=juliet,r=",                // empty nonce
        "n,,n=juliet,r=non ce",          // unprintable nonce
        "n,,n=,r=nonce",                 // empty username
        "n,,n=jul=2ciet,r=nonce",        // escapes are upper case
        "n,,n=jul=ie,r=nonce",           // invalid escape
        "n,,n=juliet=,r=nonce",          // truncated escape
        "n,,m=ext,n=juliet,r=nonce",     // RFC 5802 §5.1: reserved m=
        "n,,n=juliet,r=nonce,bad",       // malformed extension
        "n,a=,n=juliet,r=nonce",         // empty authzid
    })
    void malformedClientFirstMessages(String clientFirst) {
        SaslServer server = new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp());

        assertFailure(server.evaluate(utf8(clientFirst)), SaslFailure.MALFORMED_REQUEST);
        assertThat(server.isComplete()).isTrue();
    }

    @Test
    void unknownExtensionsAfterTheNonceAreIgnored() {
        assertThat(new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp())
                .evaluate(utf8("n,,n=juliet,r=nonce,x=whatever"))).isInstanceOf(SaslStep.Challenge.class);
    }

    @Test
    void invalidUtf8IsMalformed() {
        assertFailure(new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp())
                .evaluate(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, '(', ',', 'r', '=', 'x'}), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void usernameThatPrecisRejectsIsNotAuthorized() {
        // RFC 8265 §3.3 disallows spaces in usernames; RFC 7622 §3.3.1 disallows '@' in localparts.
        assertFailure(new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp())
                .evaluate(utf8("n,,n=jul iet,r=nonce")), SaslFailure.NOT_AUTHORIZED);
        assertFailure(new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp())
                .evaluate(utf8("n,,n=juliet@example.org,r=nonce")), SaslFailure.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "r=nonceserver,p=AAAA",                    // no c=
        "c=biws,p=AAAA",                           // no r=
        "c=biws,r=nonceserver",                    // no proof
        "c=biws,r=nonceserver,m=x,p=AAAA",         // reserved m=
        "c=biws,r=nonceserver,p=AAAA",             // proof of the wrong length
    })
    void malformedClientFinalMessages(String clientFinal) {
        SaslServer server = scram(ScramHash.SHA_256, false, "server").start(plainTcp());
        server.evaluate(utf8("n,,n=juliet,r=nonce"));

        assertFailure(server.evaluate(utf8(clientFinal)), SaslFailure.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c=bi*s,r=nonceserver,p=AAAA", "c=biws,r=nonceserver,p=AA!A"})
    void invalidBase64IsIncorrectEncoding(String clientFinal) {
        SaslServer server = scram(ScramHash.SHA_256, false, "server").start(plainTcp());
        server.evaluate(utf8("n,,n=juliet,r=nonce"));

        assertFailure(server.evaluate(utf8(clientFinal)), SaslFailure.INCORRECT_ENCODING);
    }

    @Test
    void finalMessageMustEchoTheCombinedNonce() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "nonce");
        SaslServer server = scram(ScramHash.SHA_256, false, "server").start(plainTcp());
        SaslStep challenge = server.evaluate(client.clientFirst());
        String replayedServerFirst = text(challenge).replace("r=nonceserver", "r=nonceother");

        assertFailure(server.evaluate(client.clientFinal(utf8(replayedServerFirst), "r0m3o", new byte[0])),
                SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void emptyInitialResponseGetsAnEmptyChallengeOnce() {
        // RFC 6120 §6.4.2: without an initial response the server sends an empty challenge.
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "nonce");
        SaslServer server = new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp());

        SaslStep empty = server.evaluate(new byte[0]);
        assertThat(empty).isInstanceOfSatisfying(SaslStep.Challenge.class, c -> assertThat(c.data()).isEmpty());
        SaslStep serverFirst = server.evaluate(client.clientFirst());
        assertThat(server.evaluate(client.clientFinal(((SaslStep.Challenge) serverFirst).data(), "r0m3o", new byte[0])))
                .isInstanceOf(SaslStep.Success.class);

        SaslServer twiceEmpty = new ScramMechanism(ScramHash.SHA_256, false).start(plainTcp());
        twiceEmpty.evaluate(new byte[0]);
        assertFailure(twiceEmpty.evaluate(new byte[0]), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void responseAfterSuccessIsMalformed() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_1, "n,,", "juliet", "nonce");
        SaslServer server = new ScramMechanism(ScramHash.SHA_1, false).start(plainTcp());
        SaslStep serverFirst = server.evaluate(client.clientFirst());
        server.evaluate(client.clientFinal(((SaslStep.Challenge) serverFirst).data(), "r0m3o", new byte[0]));

        assertThat(server.isComplete()).isTrue();
        assertFailure(server.evaluate(utf8("")), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void storageFailureIsTemporary() {
        CredentialRepository broken = (domain, username, hash) -> {
            throw new IllegalStateException("database down");
        };
        SaslContext ctx = new SaslContext(DOMAIN, true, broken, ChannelBindingSource.NONE);

        assertFailure(new ScramMechanism(ScramHash.SHA_256, false).start(ctx).evaluate(utf8("n,,n=juliet,r=nonce")),
                SaslFailure.TEMPORARY_AUTH_FAILURE);
    }

    @Test
    void credentialOfAnotherHashIsNotUsed() {
        CredentialRepository wrongHash = (domain, username, hash) ->
                Optional.of(ScramCredential.create(ScramHash.SHA_1, "r0m3o", FAST_ITERATIONS));
        SaslContext ctx = new SaslContext(DOMAIN, false, wrongHash, ChannelBindingSource.NONE);
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "n,,", "juliet", "nonce");

        assertFailure(exchange(new ScramMechanism(ScramHash.SHA_256, false), ctx, client, "r0m3o", new byte[0]),
                SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void namesAndAvailability() {
        assertThat(new ScramMechanism(ScramHash.SHA_512, true).name()).isEqualTo("SCRAM-SHA-512-PLUS");
        assertThat(new ScramMechanism(ScramHash.SHA_1, false).name()).isEqualTo("SCRAM-SHA-1");
        assertThat(new ScramMechanism(ScramHash.SHA_256, true).isAvailable(plainTcp())).isFalse();
        assertThat(new ScramMechanism(ScramHash.SHA_256, true).isAvailable(tlsWith(Map.of("tls-unique", END_POINT)))).isFalse();
        assertThat(new ScramMechanism(ScramHash.SHA_256, true).isAvailable(tlsWith(Map.of("tls-exporter", EXPORTER)))).isTrue();
        assertThat(new ScramMechanism(ScramHash.SHA_256, false).isAvailable(plainTcp())).isTrue();
    }
}
