import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.*;

/**
 * Issue 13: the archive indexer's rows written to RocksDB, as /work/exp/H2Text.java writes them to H2.
 * Per message: the row (owner, stamp, seq) -> (id, with_full, stanza), the conversation key
 * (owner, with_bare, stamp, seq), the id key (owner, id) -> (stamp, seq), the expiry key
 * (domain, stamp, seq, owner) and the journal position, in WriteBatches of 500.
 * Prints the writer thread's CPU and the whole process's CPU (RocksDB flushes and compacts on its
 * own threads) per row.
 *
 *   javac -cp rocksdbjni.jar RocksIndexBench.java && java -cp rocksdbjni.jar:. RocksIndexBench 200000
 */
public class RocksIndexBench {
  static final int BATCH = Integer.getInteger("batch", 500);

  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    RocksDB.loadLibrary();
    Path dir = Files.createTempDirectory("rocksx");
    String xml = "<message xmlns='jabber:client' from='user17@parley.test/bench' to='user1234@parley.test' type='chat' id='m-123456789'><body>Hello there, this is a benchmark message of moderate size: 0123456789</body><stanza-id xmlns='urn:xmpp:sid:0' by='user1234@parley.test' id='01JF0000000000000000000000'/></message>";
    try (LRUCache cache = new LRUCache(8L << 20);
         ColumnFamilyOptions cf = new ColumnFamilyOptions().setWriteBufferSize(4L << 20).setMaxWriteBufferNumber(2)
             .setCompressionType(CompressionType.LZ4_COMPRESSION)
             .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
         DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
             .setMaxOpenFiles(64).setMaxBackgroundJobs(2).setDbWriteBufferSize(16L << 20)) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : List.of("default", "rows", "with", "ids", "expiry")) {
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cf));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
           WriteOptions write = new WriteOptions()) {
        ColumnFamilyHandle meta = handles.get(0), rows = handles.get(1), with = handles.get(2), ids = handles.get(3), expiry = handles.get(4);
        long seq = 0;
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 3; round++) {
          long t0 = System.nanoTime(), cpu0 = threads.getCurrentThreadCpuTime(), proc0 = os.getProcessCpuTime();
          WriteBatch batch = new WriteBatch();
          for (int i = 0; i < n; i++) {
            int u = (i * 7919) % 2000;
            seq++;
            long stamp = System.currentTimeMillis();
            byte[] owner = ("user" + u + "@parley.test\0").getBytes(StandardCharsets.UTF_8);
            String withFull = "user" + ((u + 1) % 2000) + "@parley.test/bench";
            byte[] withBare = ("user" + ((u + 1) % 2000) + "@parley.test\0").getBytes(StandardCharsets.UTF_8);
            byte[] id = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            byte[] position = ByteBuffer.allocate(16).putLong(stamp).putLong(seq).array();
            byte[] stanza = (xml + i).getBytes(StandardCharsets.UTF_8);
            byte[] withFullBytes = withFull.getBytes(StandardCharsets.UTF_8);
            byte[] record = ByteBuffer.allocate(4 + id.length + 4 + withFullBytes.length + stanza.length)
                .putInt(id.length).put(id).putInt(withFullBytes.length).put(withFullBytes).put(stanza).array();
            batch.put(rows, concat(owner, position), record);
            batch.put(with, concat(owner, withBare, position), new byte[0]);
            batch.put(ids, concat(owner, id), position);
            batch.put(expiry, concat("parley.test\0".getBytes(StandardCharsets.UTF_8), position, owner), new byte[0]);
            if (i % BATCH == BATCH - 1) {
              batch.put(meta, "journal/parley.test".getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(seq).array());
              db.write(write, batch);
              batch.close();
              batch = new WriteBatch();
            }
          }
          db.write(write, batch);
          batch.close();
          long cpu = threads.getCurrentThreadCpuTime() - cpu0;
          long wall = System.nanoTime() - t0;
          // the background flushes and compactions this round caused, as far as they ran by now
          db.flushWal(true);
          long proc = os.getProcessCpuTime() - proc0;
          System.out.printf("rocksdb batch %d round %d: %d rows(messages), %.1f us/row wall, %.1f us/row writer cpu, %.1f us/row process cpu, dir %d MB%n",
              BATCH, round, n, wall / 1e3 / n, cpu / 1e3 / n, proc / 1e3 / n, size(dir) >> 20);
        }
        String stats = db.getProperty(rows, "rocksdb.stats");
        System.out.println(stats.lines().filter(l -> l.contains("Sum") || l.contains("Cumulative compaction")).reduce("", (x, y) -> x + y + "\n"));
        for (ColumnFamilyHandle h : handles) h.close();
      }
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    ByteBuffer b = ByteBuffer.allocate(length);
    for (byte[] p : parts) b.put(p);
    return b.array();
  }

  static long size(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
