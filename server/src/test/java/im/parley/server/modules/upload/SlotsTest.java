package im.parley.server.modules.upload;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.upload.Slots.Slot;
import im.parley.server.modules.upload.Slots.State;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/**
 * The upload slots ({@link Slots}) on H2 and PostgreSQL: a slot per request within the quota
 * (XEP-0363 §4, §5 "file too large"/quota), claimed by one PUT, stored, expired.
 */
class SlotsTest extends StoreContract {
    private static final Instant LONG_AGO = Instant.ofEpochMilli(0);
    private Slots slots;
    private EntityBareJid juliet;

    @BeforeEach
    void open() {
        slots = new Slots(moduleSchema("upload", "classpath:db/upload"), "upload.example.org");
        juliet = account("juliet@example.org");
    }

    @Test
    void givesSlotsWithinTheQuotaAndCountsWhatIsInUse() {
        Slot photo = slot("a", 600, 1000);
        Slot song = slot("b", 600, 2000);

        assertThat(slots.give(juliet, photo, 1000, LONG_AGO, LONG_AGO)).isEmpty();
        assertThat(slots.give(juliet, song, 1000, LONG_AGO, LONG_AGO)).contains(600L);
        // A pending slot older than pendingSince no longer counts.
        assertThat(slots.give(juliet, song, 1000, Instant.ofEpochMilli(1500), LONG_AGO)).isEmpty();

        assertThat(slots.find("a")).contains(photo);
        assertThat(new Slots(dataSource(), "other.example.org").find("a")).isEmpty();
        assertThat(slots.tokens()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSlotIsClaimedOnceThenStoredAndExpires() {
        slots.give(juliet, new Slot("a", "photo.jpg", null, 10, State.PENDING, Instant.ofEpochMilli(1000)), 100,
                LONG_AGO, LONG_AGO);
        slots.give(juliet, slot("b", 10, 5000), 100, LONG_AGO, LONG_AGO);

        assertThat(slots.claim("a", "image/jpeg")).isTrue();
        assertThat(slots.claim("a", "image/png")).isFalse();
        assertThat(slots.move("a", State.UPLOADING, State.STORED)).isTrue();
        assertThat(slots.move("a", State.UPLOADING, State.STORED)).isFalse();
        Slot stored = slots.find("a").orElseThrow();
        assertThat(stored.state()).isEqualTo(State.STORED);
        assertThat(stored.contentType()).isEqualTo("image/jpeg");
        assertThat(slots.oldestStored(juliet, LONG_AGO)).contains(Instant.ofEpochMilli(1000));
        assertThat(slots.oldestStored(juliet, Instant.ofEpochMilli(2000))).isEmpty();

        assertThat(slots.expire(Instant.ofEpochMilli(2000), Instant.ofEpochMilli(2000))).containsExactly("a");
        assertThat(slots.find("a")).isEmpty();
        assertThat(slots.find("b")).isPresent();
    }

    @Test
    void unfinishedUploadsAreDroppedAndSlotsGoWithTheAccount() {
        slots.give(juliet, slot("a", 10, 1000), 100, LONG_AGO, LONG_AGO);
        slots.give(juliet, slot("b", 10, 1000), 100, LONG_AGO, LONG_AGO);
        slots.claim("a", null);

        slots.dropUploading();
        assertThat(slots.tokens()).containsExactly("b");
        slots.remove("b");
        assertThat(slots.tokens()).isEmpty();

        slots.give(juliet, slot("c", 10, 1000), 100, LONG_AGO, LONG_AGO);
        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(slots.find("c")).isEqualTo(Optional.empty());
    }

    private static Slot slot(String token, long size, long created) {
        return new Slot(token, token + ".bin", "application/octet-stream", size, State.PENDING, Instant.ofEpochMilli(created));
    }
}
