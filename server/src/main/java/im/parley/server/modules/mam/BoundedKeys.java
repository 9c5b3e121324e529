package im.parley.server.modules.mam;

import static im.parley.server.modules.mam.ArchiveKeys.key;
import static im.parley.server.modules.mam.ArchiveKeys.successor;

import im.parley.server.modules.mam.ArchiveKeys.Range;
import im.parley.server.storage.StorageException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** An iterator over {@link RocksArchiveIndex}'s keys between two bounds, whose native objects are freed together. */
final class BoundedKeys implements AutoCloseable {
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions options;
    final RocksIterator iterator;

    /** The keys from {@code lower} (inclusive) to {@code upper} (exclusive). */
    BoundedKeys(RocksDB db, byte[] lower, byte[] upper) {
        this.lower = new Slice(lower);
        this.upper = new Slice(upper);
        this.options = new ReadOptions().setIterateLowerBound(this.lower).setIterateUpperBound(this.upper);
        this.iterator = db.newIterator(options);
    }

    /** The keys of {@code prefix} followed by a position in {@code range}. */
    static BoundedKeys of(RocksDB db, byte[] prefix, Range range) {
        byte[] lower = range.lower() == null ? prefix : key(prefix, range.lower());
        byte[] upper = range.upper() == null ? successor(prefix) : key(prefix, range.upper());
        return new BoundedKeys(db, lower, upper);
    }

    /** Fails if the iteration stopped on an error rather than at its end. */
    void check() {
        try {
            iterator.status();
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the archive index", e);
        }
    }

    @Override
    public void close() {
        iterator.close();
        options.close();
        lower.close();
        upper.close();
    }
}
