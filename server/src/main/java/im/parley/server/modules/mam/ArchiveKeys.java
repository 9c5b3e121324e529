package im.parley.server.modules.mam;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The layout of {@link RocksArchiveIndex}'s keys and values (its javadoc lists the kinds of key):
 * the kind bytes, the 16-byte position (stamp, seq) that orders an archive, and the encoding of a
 * row's value. Keys compare as unsigned bytes, so a prefix and its {@link #successor} bound a range.
 */
final class ArchiveKeys {

    static final byte ROW = 'r';
    static final byte WITH = 'w';
    static final byte ID = 'i';
    static final byte EXPIRY = 'e';
    static final byte COUNT = 'n';
    static final byte[] TOTAL = {'c'};
    static final byte[] SEQUENCE = {'s'};
    static final byte JOURNAL = 'j';
    static final byte[] MIGRATED = {'m'};
    static final byte[] VERSION = {'v'};
    static final byte[] EMPTY = new byte[0];
    static final int POSITION = 16;

    private ArchiveKeys() {
    }

    /**
     * A row's value: id, full {@code with}, stanza (or the purge entry's: id, bare {@code with},
     * nothing). Rows now hold no stanza (empty): it is in {@link RocksArchiveStanzas}.
     */
    static byte[] value(String id, String with, String stanza) {
        byte[] idBytes = utf8(id);
        byte[] withBytes = utf8(with);
        byte[] stanzaBytes = utf8(stanza);
        return ByteBuffer.allocate(8 + idBytes.length + withBytes.length + stanzaBytes.length)
                .putInt(idBytes.length).put(idBytes).putInt(withBytes.length).put(withBytes).put(stanzaBytes).array();
    }

    static String[] fields(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        String id = string(buffer, buffer.getInt());
        String with = string(buffer, buffer.getInt());
        return new String[] {id, with, string(buffer, buffer.remaining())};
    }

    static String string(ByteBuffer buffer, int length) {
        String s = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return s;
    }

    // Keys and values of one journal record's message, from its bytes as they are ({@link JournalRecord}).

    /** {@code r} owner, 0, position: the row. */
    static byte[] rowKey(JournalRecord r, byte[] position) {
        return r.putOwner(kind(ROW, r.ownerLength() + 1 + POSITION)).put((byte) 0).put(position).array();
    }

    /**
     * The row's value, as {@link #value}: id, full {@code with}, and no stanza, which goes to its
     * own column family ({@link RocksArchiveStanzas}, {@link #stanzaKey}).
     */
    static byte[] rowValue(JournalRecord r) {
        ByteBuffer value = ByteBuffer.allocate(8 + r.idLength() + r.withLength());
        r.putId(value.putInt(r.idLength()));
        return r.putWith(value.putInt(r.withLength())).array();
    }

    /** Position, owner, NUL: the stanza's key in time order ({@link RocksArchiveStanzas#key}). */
    static byte[] stanzaKey(JournalRecord r, byte[] position) {
        return r.putOwner(ByteBuffer.allocate(POSITION + r.ownerLength() + 1).put(position)).put((byte) 0).array();
    }

    /** {@code w} owner, 0, bare {@code with}, 0, position: the row in its correspondent's order. */
    static byte[] withKey(JournalRecord r, byte[] position) {
        ByteBuffer key = kind(WITH, r.ownerLength() + 1 + r.bareWithLength() + 1 + POSITION);
        r.putOwner(key).put((byte) 0);
        return r.putBareWith(key).put((byte) 0).put(position).array();
    }

    /** {@code i} owner, 0, stanza id: the row's position by its id. */
    static byte[] idKey(JournalRecord r) {
        return r.putId(r.putOwner(kind(ID, r.ownerLength() + 1 + r.idLength())).put((byte) 0)).array();
    }

    private static ByteBuffer kind(byte kind, int length) {
        return ByteBuffer.allocate(1 + length).put(kind);
    }

    static byte[] owner(EntityBareJid owner) {
        return key(utf8(owner.toString()), new byte[] {0});
    }

    static byte[] domainPrefix(DomainBareJid domain) {
        return key(utf8(domain.toString()), new byte[] {0});
    }

    /** A stored long (8 bytes, big-endian), as the counters and markers are kept; 0 for no value. */
    static long longValue(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    static byte[] position(long stamp, long seq) {
        return ByteBuffer.allocate(POSITION).putLong(stamp).putLong(seq).array();
    }

    /** The position just after {@code position} (an exclusive bound made inclusive). */
    static byte[] next(byte[] position) {
        ByteBuffer buffer = ByteBuffer.wrap(position);
        return position(buffer.getLong(), buffer.getLong() + 1);
    }

    /** The smallest key after every key that starts with {@code prefix}. */
    static byte[] successor(byte[] prefix) {
        byte[] next = prefix.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (next[i] != (byte) 0xff) {
                next[i]++;
                return Arrays.copyOf(next, i + 1);
            }
        }
        throw new IllegalArgumentException("no successor");
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** {@code kind}, then {@code from}'s bytes {@code start} to {@code end}: another kind of key with the same parts. */
    static byte[] key(byte kind, byte[] from, int start, int end) {
        return key(kind, Arrays.copyOfRange(from, start, end));
    }

    static byte[] key(byte kind, byte[]... parts) {
        byte[][] all = new byte[parts.length + 1][];
        all[0] = new byte[] {kind};
        System.arraycopy(parts, 0, all, 1, parts.length);
        return key(all);
    }

    static byte[] key(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer key = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            key.put(part);
        }
        return key.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Positions from {@code lower} (inclusive) to {@code upper} (exclusive); null: unbounded. */
    record Range(byte[] lower, byte[] upper) {
        static final Range ALL = new Range(null, null);

        Range from(byte[] position) {
            return new Range(lower == null || Arrays.compareUnsigned(position, lower) > 0 ? position : lower, upper);
        }

        Range until(byte[] position) {
            return new Range(lower, upper == null || Arrays.compareUnsigned(position, upper) < 0 ? position : upper);
        }

        boolean contains(byte[] position) {
            return (lower == null || Arrays.compareUnsigned(position, lower) >= 0)
                    && (upper == null || Arrays.compareUnsigned(position, upper) < 0);
        }
    }
}
