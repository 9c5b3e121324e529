package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.jxmpp.jid.EntityBareJid;

/**
 * The base of every store's contract test: each test runs once on each {@link StoreBackend},
 * on a database of its own, so that a store behaves the same on H2 and on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreBackend.class)
public abstract class StoreContract {

    @Parameter
    StoreBackend backend;

    @TempDir
    Path dataDir;

    private StoreBackend.TestDatabase database;

    @BeforeEach
    final void openDatabase() throws SQLException {
        database = backend.open(dataDir);
        try (Connection connection = dataSource().getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).as("the database under test")
                    .isEqualTo(backend.productName);
        }
    }

    @AfterEach
    final void closeDatabase() throws SQLException {
        database.close();
    }

    protected final DataSource dataSource() {
        return database.database().dataSource();
    }

    /** Closes the database and opens it again (Flyway runs again: nothing left to migrate). */
    protected final void reopenDatabase() {
        database.reopen();
    }

    /** The database with the migrations of one module too (as {@code ModuleContext.schema} gives it). */
    protected final DataSource moduleSchema(String module, String location) {
        return new ModuleSchemas(dataSource()).migrate(module, getClass().getClassLoader(), location);
    }

    /** Creates an account (without credentials): most rows belong to one. */
    protected final EntityBareJid account(String jid) {
        EntityBareJid account = jid(jid);
        new JdbcAccountStore(dataSource()).create(account, List.of());
        return account;
    }

    /**
     * Runs {@code write(i)} for i in 0..threads-1 at once, each on its own thread (and connection),
     * released together; fails with the first exception any of them threw.
     */
    protected static void concurrently(int threads, IntWrite write) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> writes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                writes.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    write.run(n);
                    return null;
                }));
            }
            for (Future<Void> done : writes) {
                try {
                    done.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a concurrent write failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One of {@link #concurrently}'s writers. */
    @FunctionalInterface
    protected interface IntWrite {
        void run(int n) throws Exception;
    }

    protected static EntityBareJid jid(String jid) {
        try {
            return Jids.parseEntityBare(jid);
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
