package im.parley.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the server side of every SASL mechanism Parley offers (RFC 6120 §6.4): SCRAM-SHA-1,
 * -256 and -512 with and without -PLUS (RFC 5802, RFC 7677) and PLAIN (RFC 4616), fed arbitrary
 * client messages. An input is text: the first line names the mechanism (and {@code tcp} for a
 * stream without TLS), each further line is one client response, raw (the base64 layer of
 * RFC 6120 §6.4.2 is the caller's). Whatever the messages:
 * <ul>
 *   <li>each step is a challenge, a success or a failure with an RFC 6120 §6.5 condition a client
 *       can cause; nothing throws;</li>
 *   <li>after a success or failure the exchange is complete and a further response is
 *       {@code malformed-request};</li>
 *   <li>a SCRAM success carries a ClientProof that verifies under RFC 5802 §3, recomputed here
 *       from the password, and answers with the matching ServerSignature; a PLAIN success carries
 *       the password. The only account is the RFC 5802 §5 one: {@code user}, {@code pencil}.</li>
 * </ul>
 * The server nonces are the RFC examples' (RFC 5802 §5, RFC 7677 §3), so the seeds replay the
 * RFC exchanges. Seeds: {@code src/test/resources/im/parley/core/sasl/SaslMechanismsFuzzTestInputs/evaluate/}.
 */
class SaslMechanismsFuzzTest {

    private static final String DOMAIN = "example.com";
    private static final String PASSWORD = "pencil";
    private static final int ITERATIONS = 4096;
    /** The salts of RFC 5802 §5 and RFC 7677 §3; SHA-512 reuses the latter. */
    private static final Map<ScramHash, byte[]> SALTS = Map.of(
            ScramHash.SHA_1, Base64.getDecoder().decode("QSXCR+Q6sek8bf92"),
            ScramHash.SHA_256, Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
            ScramHash.SHA_512, Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="));
    private static final Map<ScramHash, String> SERVER_NONCES = Map.of(
            ScramHash.SHA_1, "3rfcNHYJY1ZVvWVs7j",
            ScramHash.SHA_256, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
            ScramHash.SHA_512, "3rfcNHYJY1ZVvWVs7j");
    /** Channel binding data of the pretend TLS connection. */
    static final byte[] TLS_EXPORTER = "exporter-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TLS_SERVER_END_POINT = "end-point-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final InMemoryCredentials CREDENTIALS = credentials();
    private static final SaslMechanisms MECHANISMS = mechanisms();
    private static final int MAX_RESPONSES = 4;
    /** Conditions a client's messages can cause; temporary-auth-failure is the store's, never the input's. */
    private static final Set<SaslFailure> CLIENT_FAILURES = EnumSet.of(SaslFailure.MALFORMED_REQUEST,
            SaslFailure.INCORRECT_ENCODING, SaslFailure.NOT_AUTHORIZED, SaslFailure.INVALID_AUTHZID,
            SaslFailure.ENCRYPTION_REQUIRED);

    @FuzzTest
    void evaluate(byte[] input) {
        List<byte[]> lines = lines(input);
        String[] selection = new String(lines.get(0), StandardCharsets.UTF_8).split(" ", 2);
        boolean tls = !(selection.length == 2 && selection[1].equals("tcp"));
        SaslContext ctx = new SaslContext(DOMAIN, tls, CREDENTIALS, tls
                ? new FakeChannelBinding(Map.of("tls-exporter", TLS_EXPORTER, "tls-server-end-point", TLS_SERVER_END_POINT))
                : ChannelBindingSource.NONE);
        Optional<SaslMechanism> mechanism = MECHANISMS.find(selection[0], ctx);
        if (mechanism.isEmpty()) {
            return;
        }
        SaslServer server = mechanism.get().start(ctx);
        List<byte[]> responses = lines.subList(1, Math.min(lines.size(), 1 + MAX_RESPONSES));
        List<SaslStep> steps = new ArrayList<>();
        for (byte[] response : responses) {
            boolean wasComplete = server.isComplete();
            SaslStep step = server.evaluate(response);
            steps.add(step);
            if (wasComplete) {
                assertThat(step).as("a response after the end")
                        .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "the exchange is complete"));
            } else if (step instanceof SaslStep.Challenge) {
                assertThat(server.isComplete()).as("complete after a challenge").isFalse();
            } else {
                assertThat(server.isComplete()).as("complete after " + step).isTrue();
            }
            if (step instanceof SaslStep.Failure failure) {
                assertThat(failure.failure()).isIn(CLIENT_FAILURES);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof SaslStep.Success success) {
                assertThat(success.username()).isEqualTo("user");
                if (mechanism.get() instanceof PlainMechanism) {
                    assertThat(new String(responses.get(i), StandardCharsets.UTF_8)).endsWith("\0" + PASSWORD);
                } else {
                    checkScramProof(mechanism.get().name(), responses, steps, i, success);
                }
            }
        }
    }

    /**
     * RFC 5802 §3: the proof in the client-final message at {@code index} is ClientKey XOR
     * HMAC(StoredKey, AuthMessage) for the account's password, and the server signed
     * AuthMessage with ServerKey.
     */
    private static void checkScramProof(String mechanism, List<byte[]> responses, List<SaslStep> steps, int index,
                                        SaslStep.Success success) {
        ScramHash hash = Arrays.stream(ScramHash.values())
                .filter(h -> mechanism.startsWith(h.mechanismName())).reduce((a, b) -> b).orElseThrow();
        String clientFirst = new String(responses.get(index - 1), StandardCharsets.UTF_8);
        String serverFirst = new String(((SaslStep.Challenge) steps.get(index - 1)).data(), StandardCharsets.UTF_8);
        String clientFinal = new String(responses.get(index), StandardCharsets.UTF_8);
        int proofStart = clientFinal.lastIndexOf(",p=");
        String bare = clientFirst.substring(clientFirst.indexOf(',', clientFirst.indexOf(',') + 1) + 1);
        byte[] authMessage = (bare + "," + serverFirst + "," + clientFinal.substring(0, proofStart))
                .getBytes(StandardCharsets.UTF_8);

        byte[] salted = ScramCredential.saltedPassword(hash, PASSWORD, SALTS.get(hash), ITERATIONS);
        byte[] clientKey = ScramCredential.hmac(hash, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = ScramCredential.hmac(hash, ScramCredential.digest(hash, clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        assertThat(Base64.getDecoder().decode(clientFinal.substring(proofStart + 3))).as("ClientProof").isEqualTo(proof);
        byte[] serverKey = ScramCredential.hmac(hash, salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(success.additionalData(), StandardCharsets.UTF_8)).as("server-final")
                .isEqualTo("v=" + Base64.getEncoder().encodeToString(ScramCredential.hmac(hash, serverKey, authMessage)));
    }

    /** The input split at each {@code \n}; at least one (possibly empty) line. */
    private static List<byte[]> lines(byte[] input) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == '\n') {
                lines.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static InMemoryCredentials credentials() {
        InMemoryCredentials credentials = new InMemoryCredentials();
        SALTS.forEach((hash, salt) ->
                credentials.add(DOMAIN, "user", ScramCredential.derive(hash, PASSWORD, salt, ITERATIONS)));
        return credentials;
    }

    private static SaslMechanisms mechanisms() {
        List<SaslMechanism> all = new ArrayList<>();
        for (boolean plus : new boolean[] {true, false}) {
            for (ScramHash hash : ScramHash.values()) {
                all.add(new ScramMechanism(hash, plus, () -> SERVER_NONCES.get(hash)));
            }
        }
        all.add(new PlainMechanism());
        return new SaslMechanisms(all);
    }
}
