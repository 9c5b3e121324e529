package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The journal's record read as bytes: the parts the embedded archive's keys are built from. */
class JournalRecordTest {

    private static ArchiveRecord record(String with) throws Exception {
        return new ArchiveRecord(Jids.parseEntityBare("júliet@capulet.example"), Jids.parse(with),
                new ArchivedMessage("id-1", Instant.ofEpochMilli(1_700_000_000_123L), "<message><body>ø</body></message>"));
    }

    private static String part(int length, java.util.function.Function<ByteBuffer, ByteBuffer> put) {
        return new String(put.apply(ByteBuffer.allocate(length)).array(), StandardCharsets.UTF_8);
    }

    @Test
    void holdsTheRecordAsWrittenAndDecodesItWhole() throws Exception {
        ArchiveRecord written = record("romeo@montague.example/orchard");
        JournalRecord journaled = JournalRecord.of(written);

        assertThat(journaled.record()).isEqualTo(written);
        assertThat(journaled.stamp()).isEqualTo(1_700_000_000_123L);
        assertThat(journaled.owner()).isEqualTo("júliet@capulet.example");
        assertThat(part(journaled.ownerLength(), journaled::putOwner)).isEqualTo("júliet@capulet.example");
        assertThat(part(journaled.idLength(), journaled::putId)).isEqualTo("id-1");
        byte[] stanza = new byte[journaled.stanzaLength() + 2];
        assertThat(journaled.copyStanza(stanza, 1)).isEqualTo(stanza.length - 1);
        assertThat(new String(stanza, 1, journaled.stanzaLength(), StandardCharsets.UTF_8))
                .isEqualTo("<message><body>ø</body></message>");
    }

    /** RFC 7622 §3.1: the resource is what follows the first slash; §3.3.1: a localpart has no '@'. */
    @Test
    void findsTheBareJidOfTheOtherPartyAndTheOwnersDomain() throws Exception {
        JournalRecord full = JournalRecord.of(record("romeo@montague.example/orchard/with a slash"));
        assertThat(part(full.withLength(), full::putWith)).isEqualTo("romeo@montague.example/orchard/with a slash");
        assertThat(part(full.bareWithLength(), full::putBareWith)).isEqualTo("romeo@montague.example");
        assertThat(part(full.ownerDomainLength(), full::putOwnerDomain)).isEqualTo("capulet.example");

        JournalRecord bare = JournalRecord.of(record("conference.montague.example"));
        assertThat(part(bare.bareWithLength(), bare::putBareWith)).isEqualTo("conference.montague.example");
    }

    /**
     * The writer encodes JIDs from their parts (RFC 7622 §3.1: localpart "@" domainpart "/"
     * resourcepart), not through {@code toString}: the same bytes, non-ASCII parts and a character
     * outside the Basic Multilingual Plane included, and each encoding within the length it reserves.
     */
    @Test
    void encodesEachJidAsItsStringInUtf8() throws Exception {
        for (String with : new String[] {"romeo@montague.example/orchard", "montague.example", "montague.example/bot",
                "ромео@монтекки.example/сад 🌹", "romeo@montague.example", "rom\\20eo@montague.example/a/b@c"}) {
            ArchiveRecord written = record(with);
            JournalRecord journaled = JournalRecord.of(written);
            assertThat(part(journaled.withLength(), journaled::putWith)).isEqualTo(Jids.parse(with).toString());
            assertThat(journaled.record()).isEqualTo(written);
            assertThat(written.encode().length).isLessThanOrEqualTo(written.maxEncodedLength());
        }
    }

    @Test
    void refusesBytesThatHoldNoRecord() throws Exception {
        byte[] encoded = record("romeo@montague.example").encode();
        ByteBuffer torn = ByteBuffer.wrap(encoded, ArchiveRecord.HEADER, encoded.length - ArchiveRecord.HEADER - 3);
        assertThatThrownBy(() -> JournalRecord.copyOf(torn)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer longer = ByteBuffer.allocate(encoded.length - ArchiveRecord.HEADER + 1)
                .put(encoded, ArchiveRecord.HEADER, encoded.length - ArchiveRecord.HEADER).flip();
        longer.limit(longer.capacity());
        assertThatThrownBy(() -> JournalRecord.copyOf(longer)).isInstanceOf(IllegalArgumentException.class);
    }
}
