package im.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Storage settings (declared in {@link StorageOptions}).
 *
 * @param jdbcUrl JDBC URL; {@code null} means an embedded H2 file database in the data directory
 * @param username database user, or {@code null}
 * @param password database password, or {@code null}
 * @param passwordFile file whose first line is the database password, or {@code null}
 * @param poolSize most connections the pool of an external database keeps open
 * @param connectionTimeout longest a store waits for a connection of that pool
 */
public record StorageConfig(String jdbcUrl, String username, String password, Path passwordFile, int poolSize,
                            Duration connectionTimeout) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** An external or embedded database with the default pool. */
    public StorageConfig(String jdbcUrl, String username, String password) {
        this(jdbcUrl, username, password, null, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    public static StorageConfig defaults() {
        return new StorageConfig(null, null, null);
    }

    public StorageConfig withJdbcUrl(String newJdbcUrl) {
        return new StorageConfig(newJdbcUrl, username, password, passwordFile, poolSize, connectionTimeout);
    }

    public StorageConfig withUsername(String newUsername) {
        return new StorageConfig(jdbcUrl, newUsername, password, passwordFile, poolSize, connectionTimeout);
    }

    public StorageConfig withPassword(String newPassword) {
        return new StorageConfig(jdbcUrl, username, newPassword, passwordFile, poolSize, connectionTimeout);
    }

    public StorageConfig withPasswordFile(Path newPasswordFile) {
        return new StorageConfig(jdbcUrl, username, password, newPasswordFile, poolSize, connectionTimeout);
    }

    public StorageConfig withPoolSize(int newPoolSize) {
        return new StorageConfig(jdbcUrl, username, password, passwordFile, newPoolSize, connectionTimeout);
    }

    public StorageConfig withConnectionTimeout(Duration newConnectionTimeout) {
        return new StorageConfig(jdbcUrl, username, password, passwordFile, poolSize, newConnectionTimeout);
    }
}
