package im.parley.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the embedded database's mostly empty chunks now and then, as H2's background writer
 * would if it ran.
 *
 * <p>H2 writes every commit as a new chunk of the file; later commits leave the older chunks
 * holding a few live pages each, and only a rewrite of those pages frees the chunks for reuse. H2
 * does that in its background writer, which runs only when commits may be written late; Parley's
 * may not ({@code WRITE_DELAY=0}, see {@link EmbeddedDatabase#url}), so nothing ever did: under
 * the soak's steady load (issue 17 item 7) the file grew by about 9 MB a minute for as long as the
 * server ran, and H2's table of chunks in the heap with it. H2 rewrites only chunks older than its
 * retention time (45 s), so with a run every {@link #INTERVAL_SECONDS} the space a commit leaves
 * is reused about a minute later.
 */
final class EmbeddedDatabaseCompactor implements AutoCloseable {

    static final int INTERVAL_SECONDS = 30;
    /** Chunks less full than this (percent of live bytes) are rewritten. */
    static final int TARGET_FILL_RATE = 80;
    /**
     * Bytes of chunks rewritten at most per run: the store is locked while it runs, so a run is
     * kept short; it is far more than the soak's commits leave behind in {@link #INTERVAL_SECONDS}.
     */
    private static final int MAX_REWRITE_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseCompactor.class);

    private final DataSource database;
    private final ScheduledExecutorService timer;

    private EmbeddedDatabaseCompactor(DataSource database) {
        this.database = database;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-database-compactor");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        });
    }

    /** Compacts the embedded database behind {@code database} every {@link #INTERVAL_SECONDS}. */
    static EmbeddedDatabaseCompactor start(DataSource database) {
        EmbeddedDatabaseCompactor compactor = new EmbeddedDatabaseCompactor(database);
        compactor.timer.scheduleWithFixedDelay(compactor::compactQuietly, INTERVAL_SECONDS, INTERVAL_SECONDS,
                TimeUnit.SECONDS);
        return compactor;
    }

    /** One run now; true if it rewrote any chunk. */
    boolean compactNow() throws SQLException {
        try (Connection connection = database.getConnection()) {
            return mvStore(connection).compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES);
        }
    }

    /** The H2 store under {@code connection}, a connection to an embedded database. */
    static MVStore mvStore(Connection connection) throws SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                .getMvStore();
    }

    private void compactQuietly() {
        try {
            compactNow();
        } catch (SQLException | RuntimeException e) {
            // The next run tries again; a database that cannot be read shows up in every request anyway.
            LOG.warn("compacting the database failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // A run in progress holds a connection: let it end before the pool is disposed of.
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
