package im.parley.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import im.parley.server.config.StorageConfig;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: a pooled {@link DataSource} whose schema is brought up to date with
 * the Flyway migrations in {@code classpath:db/migration} when it is opened.
 *
 * <p>Without a JDBC URL the database is an embedded H2 file {@code <dataDir>/parley.mv.db} that
 * only this process opens, with a generated password ({@link EmbeddedDatabase}), compacted while
 * the server runs ({@link EmbeddedDatabaseCompactor}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";

    private final DataSource dataSource;
    private final AutoCloseable pool;

    private Database(DataSource dataSource, AutoCloseable pool) {
        this.dataSource = dataSource;
        this.pool = pool;
    }

    /**
     * Opens the configured database, or the embedded one in {@code dataDir}, and migrates it.
     *
     * @throws DatabaseLockedException if another process holds the embedded database
     * @throws StorageException if the database cannot be reached or a migration fails
     */
    public static Database open(StorageConfig storage, Path dataDir) {
        Database database;
        if (storage.jdbcUrl() == null) {
            DataDirectory.secure(dataDir);
            HikariDataSource pool = EmbeddedDatabase.open(dataDir, storage.username(), storage.password());
            EmbeddedDatabaseCompactor compactor = EmbeddedDatabaseCompactor.start(pool);
            database = new Database(pool, () -> {
                compactor.close();
                pool.close();
            });
        } else if (storage.jdbcUrl().startsWith("jdbc:h2:")) {
            database = h2(storage.jdbcUrl(), storage.username(), storage.password());
        } else {
            database = external(storage.jdbcUrl(), storage.username(), storage.password());
        }
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** The JDBC URL of the embedded H2 database in {@code dataDir}. */
    public static String embeddedUrl(Path dataDir) {
        return EmbeddedDatabase.url(dataDir);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            LOG.warn("closing the database failed: {}", e.toString());
        }
    }

    private void migrate() {
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database schema migrated to version {}", result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new StorageException("database migration failed: " + e.getMessage(), e);
        }
    }

    private static Database h2(String url, String username, String password) {
        HikariDataSource pool = ConnectionPool.open(url, nullToEmpty(username), nullToEmpty(password));
        return new Database(pool, pool::close);
    }

    private static Database external(String url, String username, String password) {
        DriverManagerDataSource source = new DriverManagerDataSource(url, username, password);
        return new Database(source, () -> { });
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
