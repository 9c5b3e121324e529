package im.parley.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import im.parley.server.config.StorageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: a pooled {@link DataSource} whose schema is brought up to date with
 * the Flyway migrations in {@code classpath:db/migration} when it is opened; Flyway itself loads
 * only when a migration is due ({@link AppliedMigrations}).
 *
 * <p>Without a JDBC URL the database is an embedded H2 file {@code <dataDir>/parley.mv.db} that
 * only this process opens, with a generated password ({@link EmbeddedDatabase}), compacted while
 * the server runs ({@link EmbeddedDatabaseCompactor}). Any other database, PostgreSQL in
 * production (docs/operations.md), is reached through a HikariCP pool; its driver and Flyway's
 * support for it ship with the server. The migrations are written once, in SQL that H2 and
 * PostgreSQL both run.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";
    /** Flyway's default history table. */
    private static final String HISTORY_TABLE = "flyway_schema_history";
    /** HikariCP refuses shorter connection timeouts. */
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

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
        String password = password(storage);
        Database database;
        if (storage.jdbcUrl() == null) {
            DataDirectory.secure(dataDir);
            HikariDataSource pool = EmbeddedDatabase.open(dataDir, storage.username(), password);
            EmbeddedDatabaseCompactor compactor = EmbeddedDatabaseCompactor.start(pool);
            database = new Database(pool, () -> {
                compactor.close();
                pool.close();
            });
        } else if (storage.jdbcUrl().startsWith("jdbc:h2:")) {
            database = h2(storage.jdbcUrl(), storage.username(), password);
        } else {
            database = pooled(storage, password);
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
        if (AppliedMigrations.upToDate(dataSource, Database.class.getClassLoader(), MIGRATIONS, HISTORY_TABLE)) {
            return;
        }
        String migrated = FlywayMigration.migrate(dataSource, Database.class.getClassLoader(), MIGRATIONS,
                HISTORY_TABLE, false, "database migration failed");
        if (migrated != null) {
            LOG.info("database schema migrated to version {}", migrated);
        }
    }

    private static Database h2(String url, String username, String password) {
        HikariDataSource pool = ConnectionPool.open(url, nullToEmpty(username), nullToEmpty(password));
        return new Database(pool, pool::close);
    }

    /**
     * A HikariCP pool of at most {@code storage.pool_size} connections. It fails at once, with the
     * driver's reason, if no connection can be made now: a server that cannot reach its database
     * does not start.
     */
    private static Database pooled(StorageConfig storage, String password) {
        long timeout = Math.max(MIN_CONNECTION_TIMEOUT.toMillis(), storage.connectionTimeout().toMillis());
        HikariDataSource pool = ConnectionPool.external(storage.jdbcUrl(), storage.username(), password,
                storage.poolSize(), timeout);
        return new Database(pool, pool::close);
    }

    /** {@code storage.password}, else the first line of {@code storage.password_file}, else null. */
    private static String password(StorageConfig storage) {
        if (storage.password() != null && storage.passwordFile() != null) {
            throw new StorageException("storage.password and storage.password_file are both set: keep one", null);
        }
        if (storage.passwordFile() == null) {
            return storage.password();
        }
        try {
            return Files.readAllLines(storage.passwordFile(), StandardCharsets.UTF_8).stream().findFirst().orElse("");
        } catch (IOException e) {
            throw new StorageException("cannot read the database password file " + storage.passwordFile() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
