package im.parley.server.storage;

import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-module schemas in the server's database: each module's Flyway migrations, at its own
 * location, recorded in its own history table ({@code flyway_history_<module>}), so modules are
 * versioned independently of each other and of the core's migrations ({@link Database}, table
 * {@code flyway_schema_history}). The database already holds other tables when a module first
 * migrates, so its history starts with a baseline at version 0 and its {@code V1} runs next.
 */
public final class ModuleSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleSchemas.class);

    private final DataSource dataSource;

    public ModuleSchemas(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The history table of {@code module}'s migrations. */
    public static String historyTable(String module) {
        return "flyway_history_" + module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /**
     * Applies the migrations of {@code module} found at {@code location} through {@code loader}
     * that have not run yet, and returns the database. Flyway loads only if one has not
     * ({@link AppliedMigrations}).
     *
     * @throws StorageException if a migration fails
     */
    public DataSource migrate(String module, ClassLoader loader, String location) {
        if (AppliedMigrations.upToDate(dataSource, loader, location, historyTable(module))) {
            return dataSource;
        }
        String migrated = FlywayMigration.migrate(dataSource, loader, location, historyTable(module), true,
                "migrating the schema of module " + module + " failed");
        if (migrated != null) {
            LOG.info("schema of module {} migrated to version {}", module, migrated);
        }
        return dataSource;
    }
}
