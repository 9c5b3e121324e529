package im.parley.server.modules.mam;

import java.nio.file.Path;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionOptionsUniversal;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteOptions;

/**
 * The tuning of a {@link RocksArchiveIndex}'s RocksDB and the native objects that carry it (block
 * cache, merge operator, options, write options). Separate from the index because they are made
 * before the database opens and must be freed both when it fails to open and when it closes, in
 * the same order: one place that owns them. Small by default (issue 19): 4 MB write buffers, an
 * 8 MB block cache, 64 open files, two background jobs.
 */
final class RocksArchiveOptions {

    private final LRUCache cache;
    private final UInt64AddOperator add;
    final Options options;
    final WriteOptions writeOptions;

    private RocksArchiveOptions(LRUCache cache, UInt64AddOperator add, Options options, WriteOptions writeOptions) {
        this.cache = cache;
        this.add = add;
        this.options = options;
        this.writeOptions = writeOptions;
    }

    /**
     * The options of the index in {@code directory}, whose files they keep the owner's only.
     *
     * @param sync fsync every write ({@code mam.journal_fsync})
     */
    static RocksArchiveOptions of(Path directory, boolean sync) {
        LRUCache cache = new LRUCache(8L << 20);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10, false));
        UInt64AddOperator add = new UInt64AddOperator();
        Options options = new Options().setCreateIfMissing(true).setMergeOperator(add).setWriteBufferSize(4L << 20).setMaxWriteBufferNumber(2)
                .setMaxOpenFiles(64).setMaxBackgroundJobs(2).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setKeepLogFileNum(2).setMaxLogFileSize(1L << 20).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setTableFormatConfig(table)
                // Universal compaction: every flush spans all accounts' keys (they begin with the
                // owner), so leveled compaction rewrote the whole first level at each one, and
                // more as the index grew: 28 us of CPU per archived copy on an empty index, 55 at
                // 1.3 GB (5 million copies, 2,000 accounts); universal, 20-28 us all the way
                // (docs/benchmarks.md). The price: a full compaction needs up to the index's size
                // again on disk while it runs (docs/archive.md). An index written leveled opens as is.
                .setCompactionStyle(CompactionStyle.UNIVERSAL)
                // Up to 8 sorted runs before a compaction, merged 4 or more at a time: with
                // RocksDB's 4 and 2, at a steady rate every flush (a run of a few MB) was merged
                // into the newest large run, rewriting 20-30 MB to add 1.4, and compaction took
                // half a core at 8,000 chat messages a second; with these, a quarter of that
                // (docs/benchmarks.md, "Fewer hand-offs and compactions"). A page reads from
                // every run: the MAM page target holds (same section).
                .setLevel0FileNumCompactionTrigger(8);
        // Closed with the options (closeOptions).
        options.setCompactionOptionsUniversal(new CompactionOptionsUniversal().setMinMergeWidth(4));
        // RocksDB makes its files with the process umask (0644 unless bin/parley's 077 applies)
        // and has no mode option in Java: they are made the owner's only (0600) once it opened
        // them and whenever it writes new ones (a flush, a compaction, the WAL and log that
        // follow), as the rest of data_dir; the 0700 directory keeps others out meanwhile.
        options.setListeners(List.of(new OwnerOnlyRocksFiles(directory)));
        WriteOptions writeOptions = new WriteOptions().setSync(sync);
        return new RocksArchiveOptions(cache, add, options, writeOptions);
    }

    /** Frees the native objects: after the database closed, or when it did not open. */
    void close() {
        writeOptions.close();
        closeOptions(options);
        add.close();
        cache.close();
    }

    /** Closes {@code options} and the universal compaction options it holds (native objects both). */
    private static void closeOptions(Options options) {
        CompactionOptionsUniversal universal = options.compactionOptionsUniversal();
        options.close();
        if (universal != null) {
            universal.close();
        }
    }
}
