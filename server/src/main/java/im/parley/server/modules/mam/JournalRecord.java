package im.parley.server.modules.mam;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An {@link ArchiveRecord} as the {@link ArchiveJournal} holds it: the payload's bytes (the stamp,
 * then owner, with, stanza id and stanza, each as a length and UTF-8 bytes), with where each part
 * starts. The indexer of the embedded archive ({@link RocksArchiveIndex}) builds its keys and rows
 * from these bytes as they are, without decoding the stanza into a string and encoding it again
 * or parsing two JIDs per message: with the archive on, decoding made about a third of what the
 * server allocated per message (docs/benchmarks.md, "The archive's cost"), and the collections it
 * caused made the chat benchmark's p99. {@link #record()} decodes it whole for the other stores.
 */
final class JournalRecord {

    private final byte[] bytes;
    private final int owner;
    private final int ownerLength;
    private final int with;
    private final int withLength;
    private final int id;
    private final int idLength;
    private final int stanza;
    private final int stanzaLength;

    private JournalRecord(byte[] bytes) {
        this.bytes = bytes;
        ByteBuffer payload = ByteBuffer.wrap(bytes);
        if (payload.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("not a journal record: " + bytes.length + " bytes");
        }
        payload.position(Long.BYTES);
        ownerLength = length(payload);
        owner = skip(payload, ownerLength);
        withLength = length(payload);
        with = skip(payload, withLength);
        idLength = length(payload);
        id = skip(payload, idLength);
        stanzaLength = length(payload);
        stanza = skip(payload, stanzaLength);
        if (payload.hasRemaining()) {
            throw new IllegalArgumentException("not a journal record: " + payload.remaining() + " bytes after it");
        }
    }

    /**
     * The record whose payload is {@code payload} (already checked against its checksum), copied
     * out of it: the journal reuses its read buffer.
     *
     * @throws IllegalArgumentException if the payload does not hold a record
     */
    static JournalRecord copyOf(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return new JournalRecord(bytes);
    }

    /** {@code record} as the journal writes it. */
    static JournalRecord of(ArchiveRecord record) {
        byte[] encoded = record.encode();
        return copyOf(ByteBuffer.wrap(encoded, ArchiveRecord.HEADER, encoded.length - ArchiveRecord.HEADER));
    }

    /**
     * The whole record, decoded: its JIDs parsed, its stanza a string.
     *
     * @throws IllegalArgumentException if a JID in it is not valid
     */
    ArchiveRecord record() {
        return ArchiveRecord.decode(ByteBuffer.wrap(bytes));
    }

    /** When it was archived, in epoch milliseconds. */
    long stamp() {
        return ByteBuffer.wrap(bytes).getLong(0);
    }

    /** The owner's bare JID as written (its canonical form). */
    String owner() {
        return new String(bytes, owner, ownerLength, StandardCharsets.UTF_8);
    }

    int ownerLength() {
        return ownerLength;
    }

    /** A hash of the owner's bytes, as {@link Arrays#hashCode(byte[])} of them alone. */
    int ownerHash() {
        int hash = 1;
        for (int i = owner; i < owner + ownerLength; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    /** Whether {@code other}'s owner is this record's, byte for byte. */
    boolean sameOwner(JournalRecord other) {
        return Arrays.equals(bytes, owner, owner + ownerLength, other.bytes, other.owner, other.owner + other.ownerLength);
    }

    ByteBuffer putOwner(ByteBuffer to) {
        return to.put(bytes, owner, ownerLength);
    }

    /** The length of the owner's domain: what follows the {@code @} (a localpart has none, RFC 7622 §3.3.1). */
    int ownerDomainLength() {
        return ownerLength - (indexOf((byte) '@', owner, ownerLength) + 1 - owner);
    }

    ByteBuffer putOwnerDomain(ByteBuffer to) {
        int domain = indexOf((byte) '@', owner, ownerLength) + 1;
        return to.put(bytes, domain, owner + ownerLength - domain);
    }

    int withLength() {
        return withLength;
    }

    /** The full JID of the other party, as written. */
    ByteBuffer putWith(ByteBuffer to) {
        return to.put(bytes, with, withLength);
    }

    /** The length of the bare JID of the other party: up to the first {@code /} (RFC 7622 §3.1). */
    int bareWithLength() {
        int slash = indexOf((byte) '/', with, withLength);
        return slash < 0 ? withLength : slash - with;
    }

    ByteBuffer putBareWith(ByteBuffer to) {
        return to.put(bytes, with, bareWithLength());
    }

    int idLength() {
        return idLength;
    }

    /** The position {@code decode} reads from the stanza id's bytes, or null if the id is not of its form. */
    byte[] idAs(IdDecoder decode) {
        return decode.position(bytes, id, idLength);
    }

    /** Reads a position from an id's bytes, or null if the id is not of that form. */
    interface IdDecoder {
        byte[] position(byte[] bytes, int offset, int length);
    }

    /** The stanza id (XEP-0359) the archive gave it. */
    ByteBuffer putId(ByteBuffer to) {
        return to.put(bytes, id, idLength);
    }

    int stanzaLength() {
        return stanzaLength;
    }

    /** Copies the stanza's XML, UTF-8, into {@code to} at {@code at}; returns the position after it. */
    int copyStanza(byte[] to, int at) {
        System.arraycopy(bytes, stanza, to, at, stanzaLength);
        return at + stanzaLength;
    }

    private int indexOf(byte wanted, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int length(ByteBuffer payload) {
        if (payload.remaining() < Integer.BYTES) {
            throw new IllegalArgumentException("not a journal record: it ends within a length");
        }
        int length = payload.getInt();
        if (length < 0 || length > payload.remaining()) {
            throw new IllegalArgumentException("not a journal record: a string of " + length + " bytes in "
                    + payload.remaining());
        }
        return length;
    }

    private static int skip(ByteBuffer payload, int length) {
        int start = payload.position();
        payload.position(start + length);
        return start;
    }
}
