package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * One message for one archive: {@code owner}'s, exchanged with {@code with}. As the
 * {@link ArchiveJournal} keeps it until the indexer has put it in the database, on disk: the
 * payload's length (4 bytes), its CRC-32C (4 bytes), then the payload: the stamp in epoch
 * milliseconds, then owner, with, stanza id and stanza, each as a length and UTF-8 bytes. The
 * checksum tells a record written whole from the torn tail a crash leaves.
 */
record ArchiveRecord(EntityBareJid owner, Jid with, ArchivedMessage message) {

    /** Length and checksum. */
    static final int HEADER = 8;
    /** Larger than any stanza the server accepts; a length beyond it is a torn or corrupt header. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    /** The record with its header, ready to be written. */
    byte[] encode() {
        byte[][] strings = {utf8(owner.toString()), utf8(with.toString()), utf8(message.id()), message.stanzaUtf8()};
        int payload = Long.BYTES;
        for (byte[] string : strings) {
            payload += Integer.BYTES + string.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload);
        buffer.putInt(payload).putInt(0).putLong(message.stamp().toEpochMilli());
        for (byte[] string : strings) {
            buffer.putInt(string.length).put(string);
        }
        buffer.putInt(Integer.BYTES, checksum(buffer.array(), HEADER, payload));
        return buffer.array();
    }

    /** The CRC-32C a record's header carries for its payload. */
    static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * The record whose payload is {@code payload} (already checked against its checksum).
     *
     * @throws IllegalArgumentException if the payload does not hold a record
     */
    static ArchiveRecord decode(ByteBuffer payload) {
        try {
            Instant stamp = Instant.ofEpochMilli(payload.getLong());
            EntityBareJid owner = Jids.parseEntityBare(string(payload));
            Jid with = Jids.parse(string(payload));
            String id = string(payload);
            return new ArchiveRecord(owner, with, new ArchivedMessage(id, stamp, string(payload)));
        } catch (JidMalformedException | RuntimeException e) {
            throw new IllegalArgumentException("not a journal record: " + e.getMessage(), e);
        }
    }

    private static String string(ByteBuffer payload) {
        int length = payload.getInt();
        if (length < 0 || length > payload.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes in " + payload.remaining());
        }
        String s;
        if (payload.hasArray()) {
            // Straight from the journal's read buffer: no copy of the bytes first.
            s = new String(payload.array(), payload.arrayOffset() + payload.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            payload.get(payload.position(), bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        payload.position(payload.position() + length);
        return s;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
