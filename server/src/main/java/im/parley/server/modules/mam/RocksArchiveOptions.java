package im.parley.server.modules.mam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionOptionsUniversal;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteOptions;

/**
 * The tuning of a {@link RocksArchiveIndex}'s RocksDB and the native objects that carry it (block
 * cache, merge operator, options of the database and of its two column families, write options).
 * Separate from the index because they are made before the database opens and must be freed both
 * when it fails to open and when it closes, in the same order: one place that owns them. Small by
 * default (issue 19): 4 MB write buffers (two at most per family), an 8 MB block cache shared by
 * both families, 64 open files, two background jobs, whose writes go at the pace of the archive's
 * intake ({@link BackgroundWritePace}).
 *
 * <p>The two families are compacted differently because their keys arrive differently. The index
 * ({@code default}: rows, conversation keys, ids, counts) has keys that begin with the owner, so
 * every flush spans all accounts: compacted universal. The stanzas ({@link #STANZAS}) have keys
 * that begin with the position, which rises as messages are archived, so each flush holds keys
 * after all those before it: compacted leveled, RocksDB moves such files down its levels without
 * rewriting them ("trivial moves"), and the stanzas, most of the archive's bytes, are written
 * once (docs/benchmarks.md, "Stanzas in time order").
 */
final class RocksArchiveOptions {

    /** The column family of the stanzas, by position ({@link ArchiveKeys#stanzaKey}). */
    static final byte[] STANZAS = "stanzas".getBytes(StandardCharsets.UTF_8);

    private final LRUCache cache;
    private final UInt64AddOperator add;
    final DBOptions options;
    final ColumnFamilyOptions indexOptions;
    final ColumnFamilyOptions stanzaOptions;
    final WriteOptions writeOptions;
    final BackgroundWritePace pace;

    private RocksArchiveOptions(LRUCache cache, UInt64AddOperator add, DBOptions options,
                                ColumnFamilyOptions indexOptions, ColumnFamilyOptions stanzaOptions,
                                WriteOptions writeOptions, BackgroundWritePace pace) {
        this.cache = cache;
        this.add = add;
        this.options = options;
        this.indexOptions = indexOptions;
        this.stanzaOptions = stanzaOptions;
        this.writeOptions = writeOptions;
        this.pace = pace;
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
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(64).setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2).setMaxLogFileSize(1L << 20).setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        ColumnFamilyOptions index = new ColumnFamilyOptions().setMergeOperator(add).setWriteBufferSize(4L << 20)
                .setMaxWriteBufferNumber(2).setCompressionType(CompressionType.LZ4_COMPRESSION)
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
        index.setCompactionOptionsUniversal(new CompactionOptionsUniversal().setMinMergeWidth(4));
        // RocksDB's leveled style, its defaults: files that follow each other move down unwritten.
        ColumnFamilyOptions stanzas = new ColumnFamilyOptions().setWriteBufferSize(4L << 20).setMaxWriteBufferNumber(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                // No Bloom filters: a stanza is read by the key of a row that exists.
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
                .setCompactionStyle(CompactionStyle.LEVEL);
        // RocksDB makes its files with the process umask (0644 unless bin/parley's 077 applies)
        // and has no mode option in Java: they are made the owner's only (0600) once it opened
        // them and whenever it writes new ones (a flush, a compaction, the WAL and log that
        // follow), as the rest of data_dir; the 0700 directory keeps others out meanwhile.
        options.setListeners(List.of(new OwnerOnlyRocksFiles(directory)));
        BackgroundWritePace pace = new BackgroundWritePace(System::nanoTime);
        options.setRateLimiter(pace.limiter());
        WriteOptions writeOptions = new WriteOptions().setSync(sync);
        return new RocksArchiveOptions(cache, add, options, index, stanzas, writeOptions, pace);
    }

    /** The families to open, the index's ({@code default}) first, then the stanzas'. */
    List<ColumnFamilyDescriptor> families() {
        return List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, indexOptions),
                new ColumnFamilyDescriptor(STANZAS, stanzaOptions));
    }

    /** Frees the native objects: after the database closed, or when it did not open. */
    void close() {
        writeOptions.close();
        options.close();
        pace.close();
        CompactionOptionsUniversal universal = indexOptions.compactionOptionsUniversal();
        indexOptions.close();
        if (universal != null) {
            universal.close();
        }
        stanzaOptions.close();
        add.close();
        cache.close();
    }
}
