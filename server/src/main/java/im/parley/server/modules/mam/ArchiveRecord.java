package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;

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
        ByteBuffer buffer = ByteBuffer.allocate(maxEncodedLength());
        encodeInto(buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /**
     * At least the bytes {@link #encodeInto} writes: UTF-8 takes at most three bytes per UTF-16
     * unit (a character outside the Basic Multilingual Plane is two units and four bytes).
     */
    int maxEncodedLength() {
        int chars = jidChars(owner) + jidChars(with) + message.id().length();
        return HEADER + Long.BYTES + 4 * Integer.BYTES + 3 * chars + message.stanzaUtf8().length;
    }

    /** The length of {@code jid.toString()}, from its parts (a JID's own {@code length()} makes the string). */
    private static int jidChars(Jid jid) {
        Localpart local = jid.getLocalpartOrNull();
        Resourcepart resource = jid.getResourceOrNull();
        return (local == null ? 0 : local.length() + 1) + jid.getDomain().length()
                + (resource == null ? 0 : resource.length() + 1);
    }

    /**
     * Writes the record with its header at {@code to}'s position, which it advances; {@code to}
     * must have {@link #maxEncodedLength} bytes left. The journal's writer encodes a batch into
     * one reusable direct buffer this way: no array per record and per string, no copy of the
     * batch into a temporary direct buffer by the JDK's write, and the JIDs written from their
     * parts, whose strings jxmpp keeps, instead of a full JID's {@code toString}, which builds a
     * new string for every JID parsed from a stanza (the journal's writer spent a sixth of its
     * time there: docs/benchmarks.md, "The journal's writer").
     */
    void encodeInto(ByteBuffer to) {
        int start = to.position();
        to.position(start + HEADER).putLong(message.stamp().toEpochMilli());
        int field = beginField(to);
        putJid(to, owner);
        endField(to, field);
        field = beginField(to);
        putJid(to, with);
        endField(to, field);
        field = beginField(to);
        putUtf8(to, message.id());
        endField(to, field);
        to.putInt(message.stanzaUtf8().length).put(message.stanzaUtf8());
        int payload = to.position() - start - HEADER;
        CRC32C crc = new CRC32C();
        crc.update(to.slice(start + HEADER, payload));
        to.putInt(start, payload).putInt(start + Integer.BYTES, (int) crc.getValue());
    }

    /** Leaves room for a field's length; returns where it goes. */
    private static int beginField(ByteBuffer to) {
        int lengthAt = to.position();
        to.position(lengthAt + Integer.BYTES);
        return lengthAt;
    }

    /** Sets the length of the field whose length goes at {@code lengthAt}: the bytes since. */
    private static void endField(ByteBuffer to, int lengthAt) {
        to.putInt(lengthAt, to.position() - lengthAt - Integer.BYTES);
    }

    /** {@code jid.toString()} in UTF-8 (RFC 7622 §3.1: localpart@domainpart/resourcepart), from its parts. */
    private static void putJid(ByteBuffer to, Jid jid) {
        Localpart local = jid.getLocalpartOrNull();
        if (local != null) {
            putUtf8(to, local.toString());
            to.put((byte) '@');
        }
        putUtf8(to, jid.getDomain().toString());
        Resourcepart resource = jid.getResourceOrNull();
        if (resource != null) {
            to.put((byte) '/');
            putUtf8(to, resource.toString());
        }
    }

    /** {@code s} in UTF-8, as {@link String#getBytes} writes it; ASCII without an array. */
    private static void putUtf8(ByteBuffer to, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                to.put(s.substring(i).getBytes(StandardCharsets.UTF_8));
                return;
            }
            to.put((byte) c);
        }
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
}
