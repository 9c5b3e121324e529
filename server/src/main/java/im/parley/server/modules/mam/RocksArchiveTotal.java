package im.parley.server.modules.mam;

/**
 * The count of all messages in a {@link RocksArchiveIndex} ({@code c} key) as its last write left
 * it, for {@link ArchiveIndex#size} (sampled for metrics) without a read. Its own object because
 * the writes that archive ({@link RocksArchiveWrites}) and those that delete
 * ({@link RocksArchiveDeletions}) both put the new count in their batch and set it here once the
 * batch is written, under the index's write lock; {@link #value} is read without it (volatile:
 * the metrics' sampler sees the last count written, not a value its thread cached).
 */
final class RocksArchiveTotal {

    private volatile long total;

    RocksArchiveTotal(long total) {
        this.total = total;
    }

    /** The count as of the last write. */
    long value() {
        return total;
    }

    /** After a write that put {@code total} as the {@code c} key. */
    void written(long total) {
        this.total = total;
    }
}
