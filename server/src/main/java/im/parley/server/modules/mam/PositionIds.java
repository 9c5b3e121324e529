package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.POSITION;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The stanza ids (XEP-0359) of {@link RocksArchiveIndex}'s messages: each is the message's position
 * in the index (its stamp and a sequence number, {@link ArchiveKeys#position}), encrypted, so that
 * the index finds a message by its id without a key per id ({@code i}): a key less per archived
 * copy, and no random UUID per copy on the event loop (issue 13).
 *
 * <p>XEP-0359 §5: "Entities observing the value MUST NOT be able to infer any information from
 * it, e.g. the size of the message archive": the 16-byte position is one block of AES-128 under
 * a key of the domain's index, drawn at random when the index is made and kept in it (files
 * 0600), so an id is a pseudo-random 128-bit value to anyone without that key (one block of a
 * block cipher is a pseudo-random permutation; no mode or padding is needed for a single block).
 * It is written in base64url without padding: 22 characters.
 *
 * <p>Unique and never reused, even after its message was purged (XEP-0313 §6.2): the sequence
 * number is the count of the index's openings in its upper 24 bits (written at each opening)
 * and a counter in the lower 40, so no two positions are ever the same, across restarts too.
 * Ids of other forms (those before this one, imports) keep their {@code i} key.
 */
final class PositionIds {

    /** The id key: 16 bytes. */
    static final byte[] KEY = {'x'};
    /** How many times the index was opened: 8 bytes. */
    static final byte[] OPENINGS = {'o'};
    static final int COUNTER_BITS = 40;
    private static final int LENGTH = 22;

    private final SecretKeySpec key;
    private final AtomicLong sequence;
    private final ThreadLocal<Cipher> encrypting;
    private final ThreadLocal<Cipher> decrypting;

    PositionIds(byte[] key, long opening, long lastSequence) {
        this.key = new SecretKeySpec(key, "AES");
        this.sequence = new AtomicLong(Math.max(lastSequence, opening << COUNTER_BITS));
        this.encrypting = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE));
        this.decrypting = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE));
    }

    /** A new key for a new index. */
    static byte[] newKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** A new id for a message stamped {@code stamp} (epoch ms). Never blocks. */
    String next(long stamp) {
        return encode(ArchiveKeys.position(stamp, nextSequence()));
    }

    /** The next sequence number, for a message whose id is of another form. */
    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** The last sequence number given. */
    long lastSequence() {
        return sequence.get();
    }

    /** The position {@code id} stands for, or null if it is not an id of this form. */
    byte[] position(String id) {
        if (id.length() != LENGTH) {
            return null;
        }
        return position(id.getBytes(StandardCharsets.ISO_8859_1), 0, LENGTH);
    }

    /**
     * The position the id in {@code bytes} (UTF-8) stands for, or null if it is not an id of this
     * form. Base64 ignores the last character's two low bits, so a caller that matches the id
     * against a stored one compares the strings too.
     */
    byte[] position(byte[] bytes, int offset, int length) {
        if (length != LENGTH) {
            return null;
        }
        byte[] block;
        try {
            block = Base64.getUrlDecoder().decode(ByteBuffer.wrap(bytes, offset, length)).array();
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (block.length != POSITION) {
            return null;
        }
        try {
            return decrypting.get().doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES cannot decrypt a block", e);
        }
    }

    /** The position of a journal record's id if it is of this form and names the record's stamp, else null. */
    byte[] positionOf(JournalRecord record) {
        byte[] position = record.idAs(this::position);
        if (position == null || ByteBuffer.wrap(position).getLong() != record.stamp()) {
            return null;
        }
        return position;
    }

    private String encode(byte[] position) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(encrypting.get().doFinal(position));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES cannot encrypt a block", e);
        }
    }

    private Cipher cipher(int mode) {
        try {
            // One block: ECB of a single block is the block cipher itself (see the class comment).
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(mode, key);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no AES", e);
        }
    }

    /**
     * The ids of the index {@code db}: its key (drawn and written the first time), its openings
     * counted one more (written before any id is given), and the last sequence number of the
     * layout before this one.
     */
    static PositionIds open(RocksDB db, WriteOptions writeOptions) throws RocksDBException {
        byte[] key = db.get(KEY);
        long openings = ArchiveKeys.longValue(db.get(OPENINGS)) + 1;
        try (WriteBatch write = new WriteBatch()) {
            if (key == null) {
                key = newKey();
                write.put(KEY, key);
            }
            write.put(OPENINGS, ArchiveKeys.longBytes(openings));
            db.write(writeOptions, write);
        }
        return new PositionIds(key, openings, ArchiveKeys.longValue(db.get(ArchiveKeys.SEQUENCE)));
    }
}
