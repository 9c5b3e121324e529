package im.parley.s2s.dialback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XEP-0185 §3: key = HMAC-SHA256(SHA256(secret), receiving + ' ' + originating + ' ' + stream id), hex. */
class DialbackKeysTest {

    private final DialbackKeys keys = new DialbackKeys("s3cr3tf0rd14lb4ck-0123456789".getBytes(StandardCharsets.UTF_8));

    @Test
    void keysAreHexHmacSha256BoundToDomainsAndStreamId() {
        String key = keys.key("example.org", "example.com", "D60000229F");
        assertThat(key).hasSize(64).matches("[0-9a-f]+");
        assertThat(keys.matches("example.org", "example.com", "D60000229F", key)).isTrue();
        // Each input is bound: another stream id, receiving or originating domain gives another key.
        assertThat(keys.matches("example.org", "example.com", "D60000229G", key)).isFalse();
        assertThat(keys.matches("example.net", "example.com", "D60000229F", key)).isFalse();
        assertThat(keys.matches("example.org", "example.net", "D60000229F", key)).isFalse();
        assertThat(keys.matches("example.org", "example.com", "D60000229F", null)).isFalse();
    }

    @Test
    void anotherSecretMakesOtherKeys() {
        DialbackKeys other = new DialbackKeys("another-secret-of-enough-length".getBytes(StandardCharsets.UTF_8));
        assertThat(other.key("a", "b", "id")).isNotEqualTo(keys.key("a", "b", "id"));
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> new DialbackKeys(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGeneratedSecretIsKeptAcrossRestarts(@TempDir Path dir) throws Exception {
        byte[] first = DialbackSecret.loadOrCreate(dir.resolve("dialback.secret"));
        byte[] second = DialbackSecret.loadOrCreate(dir.resolve("dialback.secret"));
        assertThat(first).hasSize(64).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dialback.secret"))))
                .isEqualTo("rw-------");
    }

    /** XEP-0220 §8.4: an answer must match the request's from, to and id, all three. */
    @Test
    void verificationAnswersMatchOnFromToAndId() {
        PendingVerification pending = new PendingVerification("receiving.example", "authoritative.example", "id1", "k");
        assertThat(pending.isAnsweredBy("authoritative.example", "receiving.example", "id1")).isTrue();
        assertThat(pending.isAnsweredBy("attacker.example", "receiving.example", "id1")).isFalse();
        assertThat(pending.isAnsweredBy("authoritative.example", "other.example", "id1")).isFalse();
        assertThat(pending.isAnsweredBy("authoritative.example", "receiving.example", "id2")).isFalse();
        assertThat(pending.isAnsweredBy(null, "receiving.example", "id1")).isFalse();
    }
}
