package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.POSITION;
import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.position;
import static im.parley.server.modules.mam.ArchiveKeys.successor;

import im.parley.server.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The message counts of {@link RocksArchiveIndex}'s archives and of their conversations (RSM
 * {@code <count/>}, XEP-0059 §2.6), without a key written per archived copy: a count key per copy
 * and conversation was two of the five keys each copy cost the index, and about 40 % of its CPU
 * (docs/benchmarks.md, "Fewer keys per archived copy").
 *
 * <p>A counted range is a key prefix ({@code r} owner, or {@code w} owner bare-with NUL) followed by
 * positions. Its <em>checkpoint</em>, {@code k} prefix → (count, position), says how many of the
 * range's keys lie before that position. A count is the checkpoint's plus the keys from its
 * position on, walked at query time, at most {@link #walkLimit} of them: past that the count is a
 * lower bound, as XEP-0059 §2.7 allows ("MAY be approximate ... if determining the exact number
 * of items would be resource-intensive"), and the checkpoint moves as far as the walk went so that
 * the next query goes on from there.
 *
 * <p>A checkpoint stays exact because it only ever moves to positions that no new message can
 * take: positions with a stamp older than the newest stamp written minus {@link #margin}
 * (messages are stamped when they arrive, and reach the index within a second or so). A message
 * whose stamp is older than that at its write (an import, a migration, a journal indexed late)
 * adds itself to the checkpoints above it, and a purge or a deletion takes off what it deletes
 * below them. Each of these bumps a generation; a query moves a checkpoint only if the
 * generation did not change since the snapshot it counted from, so a concurrent write is never
 * missed.
 */
final class ArchiveCounts {

    static final byte CHECKPOINT = 'k';
    /** The newest stamp written, epoch milliseconds. */
    static final byte[] NEWEST = {'t'};
    /** Positions older than the newest stamp by this much are settled (ms). */
    static final long MARGIN_MS = 60_000;
    /** The most keys a count walks (about 3 ms). */
    static final int WALK_LIMIT = RocksArchiveReads.COUNT_LIMIT;
    /** A checkpoint moves when a walk passed at least this many settled keys (not a write per query). */
    static final int MOVE_AFTER = 64;
    /** Checkpoints per write when every range is counted ({@link #checkpointAll}). */
    static final int CHECKPOINTS_PER_WRITE = 10_000;

    /** How far counts walk and how soon checkpoints move; {@link #DEFAULT} but in tests. */
    record Limits(long margin, int walkLimit, int moveAfter, int checkpointsPerWrite) {
        static final Limits DEFAULT = new Limits(MARGIN_MS, WALK_LIMIT, MOVE_AFTER, CHECKPOINTS_PER_WRITE);
    }

    private final RocksDB db;
    private final Object writeLock;
    private final long margin;
    private final int walkLimit;
    private final int moveAfter;
    private final int checkpointsPerWrite;
    /** Written under the write lock, after the write it describes. */
    private volatile long newest;
    private volatile long generation;

    /** The counts of {@code db}, whose writes hold {@code writeLock}. */
    static ArchiveCounts open(RocksDB db, Object writeLock, Limits limits) {
        try {
            return new ArchiveCounts(db, writeLock, ArchiveKeys.longValue(db.get(NEWEST)), limits);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the archive's newest stamp", e);
        }
    }

    private ArchiveCounts(RocksDB db, Object writeLock, long newest, Limits limits) {
        this.db = db;
        this.writeLock = writeLock;
        this.newest = newest;
        this.margin = limits.margin();
        this.walkLimit = limits.walkLimit();
        this.moveAfter = limits.moveAfter();
        this.checkpointsPerWrite = limits.checkpointsPerWrite();
    }

    /**
     * The count of the keys of {@code prefix} (each followed by a position): exact, or a lower
     * bound when more than {@link Limits#walkLimit} keys follow the checkpoint.
     */
    long count(byte[] prefix) {
        long seen = generation;
        byte[] settled = position(Math.max(0, newest - margin), 0);
        byte[] checkpointKey = checkpointKey(prefix);
        Snapshot snapshot = db.getSnapshot();
        Slice upper = new Slice(successor(prefix));
        try (ReadOptions options = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper)) {
            Checkpoint from = Checkpoint.decode(db.get(options, checkpointKey));
            long walked = 0;
            long settledKeys = 0;
            byte[] firstUnsettled = null;
            boolean stopped = false;
            try (RocksIterator keys = db.newIterator(options)) {
                for (keys.seek(from == null ? prefix : key(prefix, from.position)); keys.isValid(); keys.next()) {
                    if (walked == walkLimit) {
                        stopped = true;
                        break;
                    }
                    if (firstUnsettled == null) {
                        byte[] key = keys.key();
                        byte[] position = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                        if (Arrays.compareUnsigned(position, settled) < 0) {
                            settledKeys++;
                        } else {
                            firstUnsettled = position;
                        }
                    }
                    walked++;
                }
                if (stopped && firstUnsettled == null) {
                    byte[] key = keys.key();
                    byte[] stop = Arrays.copyOfRange(key, key.length - POSITION, key.length);
                    firstUnsettled = Arrays.compareUnsigned(stop, settled) < 0 ? stop : settled;
                }
                keys.status();
            }
            long base = from == null ? 0 : from.count;
            if (settledKeys >= moveAfter) {
                move(checkpointKey, seen, new Checkpoint(base + settledKeys, firstUnsettled == null ? settled : firstUnsettled));
            }
            return base + walked;
        } catch (RocksDBException e) {
            throw new StorageException("cannot count archived messages", e);
        } finally {
            upper.close();
            db.releaseSnapshot(snapshot);
        }
    }

    private void move(byte[] checkpointKey, long seen, Checkpoint to) throws RocksDBException {
        synchronized (writeLock) {
            if (generation == seen) {
                db.put(checkpointKey, to.encode());
            }
        }
    }

    /** Whether a message stamped {@code stamp} may lie below a checkpoint (with {@code newest} the newest before it). */
    boolean belowSettled(long stamp, long newestBefore) {
        return stamp < newestBefore - margin;
    }

    long newest() {
        return newest;
    }

    /** The newest stamp once a write with {@code stamp} is in: never later than a minute from now (a stamp from the future). */
    static long newestAfter(long newestBefore, long stamp) {
        return Math.max(newestBefore, Math.min(stamp, System.currentTimeMillis() + MARGIN_MS));
    }

    /**
     * Changes to the checkpoints of one write (under the write lock): each read once, adjusted,
     * and put into the write; {@link #written} then publishes the write.
     */
    final class Changes {
        private final Map<ByteBuffer, Checkpoint> read = new HashMap<>();
        private final WriteBatch write;
        private boolean touched;

        Changes(WriteBatch write) {
            this.write = write;
        }

        /** A key of {@code prefix} at {@code position} was added ({@code +1}) or deleted ({@code -1}) below the settled positions. */
        void add(byte[] prefix, byte[] position, int delta) throws RocksDBException {
            touched = true;
            ByteBuffer checkpointKey = ByteBuffer.wrap(checkpointKey(prefix));
            Checkpoint checkpoint = read.computeIfAbsent(checkpointKey, k -> readCheckpoint(k.array()));
            if (checkpoint != Checkpoint.NONE && Arrays.compareUnsigned(position, checkpoint.position) < 0) {
                Checkpoint moved = new Checkpoint(checkpoint.count + delta, checkpoint.position);
                read.put(checkpointKey, moved);
                write.put(checkpointKey.array(), moved.encode());
            }
        }

        /** Deletes every checkpoint under {@code prefix} (an archive deleted). */
        void deleteAll(byte[] prefix) throws RocksDBException {
            touched = true;
            byte[] checkpoints = checkpointKey(prefix);
            write.deleteRange(checkpoints, successor(checkpoints));
        }

        /** The write holding these changes is in, with {@code newestStamp} the newest stamp it wrote. */
        void written(long newestStamp) {
            newest = newestStamp;
            if (touched) {
                generation++;
            }
        }

        private Checkpoint readCheckpoint(byte[] checkpointKey) {
            try {
                Checkpoint checkpoint = Checkpoint.decode(db.get(checkpointKey));
                return checkpoint == null ? Checkpoint.NONE : checkpoint;
            } catch (RocksDBException e) {
                throw new StorageException("cannot read an archive count", e);
            }
        }
    }

    /**
     * Counts every archive and conversation of the index and writes their checkpoints, so that
     * counts are exact from the first query: after an upgrade from the layout that kept counts
     * per copy, and after rows with old stamps were moved in (a migration, an import). Three
     * passes over the keys: the rows for the newest stamp, then the rows and the conversation
     * keys, counting what lies before a bound (the newest stamp, at most now). The newest stamp
     * becomes at least that bound plus the margin, and is written first, so that what comes
     * later lands above the checkpoints or adjusts them, even after a crash in between. Under
     * the write lock, before the index serves.
     */
    void checkpointAll(WriteOptions writeOptions) {
        synchronized (writeLock) {
            // Every conversation key has a row at the same position: the rows have the newest stamp.
            long bound = Math.min(newestStampOf(ArchiveKeys.ROW) + 1, System.currentTimeMillis());
            byte[] settled = position(bound, 0);
            long newestAfter = Math.max(newest, bound + margin);
            try {
                // The newest stamp first: checkpoints written before a crash stay exact with it.
                db.put(writeOptions, NEWEST, ArchiveKeys.longBytes(newestAfter));
                newest = newestAfter;
                generation++;
                for (byte kind : new byte[] {ArchiveKeys.ROW, ArchiveKeys.WITH}) {
                    checkpointRanges(kind, settled, writeOptions);
                }
            } catch (RocksDBException e) {
                throw new StorageException("cannot write the archive's count checkpoints", e);
            }
        }
    }

    /** The newest stamp among the keys of one kind. */
    private long newestStampOf(byte kind) {
        long newestStamp = 0;
        try (BoundedKeys keys = new BoundedKeys(db, new byte[] {kind}, new byte[] {(byte) (kind + 1)})) {
            RocksIterator key = keys.iterator;
            for (key.seekToFirst(); key.isValid(); key.next()) {
                byte[] k = key.key();
                newestStamp = Math.max(newestStamp, ByteBuffer.wrap(k, k.length - POSITION, Long.BYTES).getLong());
            }
            keys.check();
        }
        return newestStamp;
    }

    /** Writes the checkpoint at {@code settled} of every range of {@code kind}, {@link Limits#checkpointsPerWrite} a write. */
    private void checkpointRanges(byte kind, byte[] settled, WriteOptions writeOptions) throws RocksDBException {
        WriteBatch write = new WriteBatch();
        try (BoundedKeys keys = new BoundedKeys(db, new byte[] {kind}, new byte[] {(byte) (kind + 1)})) {
            RocksIterator key = keys.iterator;
            byte[] prefix = null;
            long count = 0;
            for (key.seekToFirst(); key.isValid(); key.next()) {
                byte[] k = key.key();
                byte[] rangePrefix = Arrays.copyOf(k, k.length - POSITION);
                if (prefix != null && !Arrays.equals(prefix, rangePrefix)) {
                    write.put(checkpointKey(prefix), new Checkpoint(count, settled).encode());
                    count = 0;
                    if (write.count() >= checkpointsPerWrite) {
                        db.write(writeOptions, write);
                        write.close();
                        write = new WriteBatch();
                    }
                }
                prefix = rangePrefix;
                if (Arrays.compareUnsigned(k, k.length - POSITION, k.length, settled, 0, POSITION) < 0) {
                    count++;
                }
            }
            if (prefix != null) {
                write.put(checkpointKey(prefix), new Checkpoint(count, settled).encode());
            }
            keys.check();
            db.write(writeOptions, write);
        } finally {
            write.close();
        }
    }

    Changes changes(WriteBatch write) {
        return new Changes(write);
    }

    static byte[] checkpointKey(byte[] prefix) {
        return key(new byte[] {CHECKPOINT}, prefix);
    }

    /** {@code count} keys of a range lie before {@code position}. */
    private record Checkpoint(long count, byte[] position) {
        static final Checkpoint NONE = new Checkpoint(-1, new byte[0]);

        byte[] encode() {
            return ByteBuffer.allocate(Long.BYTES + POSITION).putLong(count).put(position).array();
        }

        static Checkpoint decode(byte[] value) {
            if (value == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(value);
            long count = buffer.getLong();
            byte[] position = new byte[POSITION];
            buffer.get(position);
            return new Checkpoint(count, position);
        }
    }
}
