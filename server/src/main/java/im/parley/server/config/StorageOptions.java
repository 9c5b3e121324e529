package im.parley.server.config;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The options of the database (section {@code storage}), declared next to the others; see docs/operations.md. */
final class StorageOptions {

    private StorageOptions() {
    }

    static void declare(List<ConfigOption<?>> all) {
        option(all, "jdbc_url", ValueType.OPTIONAL_STRING,
                "JDBC URL of an external database: PostgreSQL (`jdbc:postgresql://db.example.org:5432/parley`, "
                        + "see docs/operations.md) or H2; null: embedded H2.",
                StorageConfig::jdbcUrl, StorageConfig::withJdbcUrl);
        option(all, "username", ValueType.OPTIONAL_STRING,
                "Database user; null: `PARLEY` for the embedded database.",
                StorageConfig::username, StorageConfig::withUsername);
        option(all, "password", ValueType.OPTIONAL_STRING,
                "Database password; null: `password_file`, else for the embedded database one generated into "
                        + "`<data_dir>/database.secret`.",
                StorageConfig::password, StorageConfig::withPassword);
        option(all, "password_file", ValueType.OPTIONAL_PATH,
                "File whose first line is the database password (keep it 0600), instead of `password`; null: none.",
                StorageConfig::passwordFile, StorageConfig::withPasswordFile);
        option(all, "pool_size", ValueType.integer(1, 1000),
                "Most connections open at once to an external database (HikariCP pool); stores wait for a free one.",
                StorageConfig::poolSize, StorageConfig::withPoolSize);
        option(all, "connection_timeout", ValueType.DURATION,
                "Longest a store waits for a connection to an external database (from the pool, or a new one); "
                        + "then the operation fails. Less than 250ms counts as 250ms.",
                StorageConfig::connectionTimeout, StorageConfig::withConnectionTimeout);
    }

    private static <T> void option(List<ConfigOption<?>> all, String name, ValueType<T> type, String doc,
                                   Function<StorageConfig, T> get, BiFunction<StorageConfig, T, StorageConfig> set) {
        all.add(new ConfigOption<>("storage." + name, type, doc, c -> get.apply(c.storage()),
                (c, v) -> c.withStorage(set.apply(c.storage(), v))));
    }
}
