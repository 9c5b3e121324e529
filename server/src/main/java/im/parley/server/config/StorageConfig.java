package im.parley.server.config;

/**
 * Storage settings.
 *
 * @param jdbcUrl JDBC URL; {@code null} means an embedded H2 file database in the data directory
 * @param username database user, or {@code null}
 * @param password database password, or {@code null}
 */
public record StorageConfig(String jdbcUrl, String username, String password) {

    public static StorageConfig defaults() {
        return new StorageConfig(null, null, null);
    }
}
